import DataContract
import DigiTagBase

/// One source column as the generated SQL reads it: the DuckDB type it is read as, the expression that
/// turns it into the value the engine sees as of the run date, and what kind of value that is.
struct SQLField {
    let spec: FieldSpec
    /// True for the source's event date, which the scan filters on and so is never NULL afterwards.
    let isEventDate: Bool

    /// The type given to `read_csv`, so no column is left to DuckDB's type sniffing.
    var readType: String {
        switch spec.type {
        case .uscc, .text, .enum, .region, .industry: return "VARCHAR"
        case .date: return "DATE"
        case .integer: return "BIGINT"
        case .amount, .number: return "DOUBLE"
        case .year: return "INTEGER"
        // Converted in `value(asOf:)`: `YYYY-MM` has no DuckDB type, and flags are Y/N text.
        case .period, .flag: return "VARCHAR"
        }
    }

    /// The type the Spark job reads the column as: amounts and decimal numbers as text, converted in
    /// `value(asOf:dialect:)` the way the engine converts them.
    func readType(_ dialect: SQLDialect) -> String {
        dialect == .spark && (spec.type == .amount || spec.type == .number) ? "VARCHAR" : readType
    }

    var kind: SQLKind {
        switch spec.type {
        case .flag: return .bool
        case .date, .period: return .date
        case .integer, .amount, .number, .year: return .number
        case .uscc, .text, .enum, .region, .industry: return .category
        }
    }

    /// Whole numbers, read as an integer type.
    var integral: Bool { spec.type == .integer || spec.type == .year }

    /// The column as a term of an expression, under the name the query gives it.
    func term(_ name: String) -> SQLTerm {
        SQLTerm(SQLSyntax.identifier(name), kind, nullable: nullable, integral: integral)
    }

    /// A date that is not known in advance reads as empty when it is after the as-of date.
    var hidesFutureDates: Bool { spec.type == .date && !spec.planned && !isEventDate }

    /// Whether the value as of the run date can be NULL.
    var nullable: Bool { spec.optional || hidesFutureDates }

    /// The column's value as of `asOf`, mirroring the engine's ingest: flags `Y`/`y` are true, a period
    /// is its month's first day, and a date after the as-of date reads as NULL unless it is planned.
    func value(asOf: Day, dialect: SQLDialect = .duckdb) -> String {
        let column = SQLSyntax.identifier(spec.name)
        switch spec.type {
        case .amount where dialect == .spark, .number where dialect == .spark: return dialect.engineDecimal(column)
        case .flag: return "upper(\(column)) = 'Y'"
        case .period: return "CAST(\(column) || '-01' AS DATE)"
        case .date where hidesFutureDates: return "CASE WHEN \(column) <= \(SQLSyntax.date(asOf)) THEN \(column) END"
        default: return column
        }
    }
}
