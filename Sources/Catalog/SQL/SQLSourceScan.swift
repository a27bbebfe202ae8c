import DataContract
import DigiTagBase

/// Reading one source's files as they stand on the run date.
///
/// The scan reads the rows ingest accepts (`SQLSourceValidation`, which matches headers by name and types
/// every column), and drops rows whose event date is after the as-of date (point in time, as in
/// `SourceIngestor`) and records repeating an earlier record's natural key (as the shards do).
struct SQLSourceScan {
    let schema: SourceSchema
    let files: [String]
    let asOf: Day
    var dialect: SQLDialect = .duckdb

    var fields: [SQLField] { schema.fields.map { SQLField(spec: $0, isEventDate: $0.name == schema.eventDate) } }

    var keyField: SQLField? { fields.first { $0.spec.type == .uscc } }

    var eventField: SQLField? { fields.first(where: \.isEventDate) }

    /// The source's accepted rows, typed (`SQLSourceValidation`): the relation the scan reads.
    var readCSV: String { SQLSyntax.identifier(SQLSourceValidation.valid(schema.name)) }

    /// The accepted rows on the run date: those whose event date is after the as-of date left out, and of
    /// records whose natural key repeats an earlier record's, the first read kept (`DuplicateFinder`:
    /// key fields compared as stored, so as of the run date; empty equals empty).
    var rowsOnRunDate: String {
        var sql = "SELECT * FROM \(readCSV)"
        if let event = eventField {
            sql += " WHERE \(event.value(asOf: asOf, dialect: dialect)) <= \(SQLSyntax.date(asOf))"
        }
        guard !schema.key.isEmpty else { return sql }
        let key = schema.key.map { fields[$0].value(asOf: asOf, dialect: dialect) }.joined(separator: ", ")
        return "SELECT * FROM (\n  SELECT *, row_number() OVER (PARTITION BY \(key) ORDER BY \"__row\") AS \"__repeat\"\n"
            + "  FROM (\(sql))\n) WHERE \"__repeat\" = 1"
    }

    /// `SELECT <columns> FROM read_csv(…) WHERE <event date> <= as-of`, each column as the engine sees it.
    /// `extra`: columns of the view taken as they are (the Spark job's record order).
    func select(_ columns: [(field: SQLField, alias: String)], extra: [String] = []) -> String {
        let list = (columns.map { c in
            let value = c.field.value(asOf: asOf, dialect: dialect)
            return value == SQLSyntax.identifier(c.alias) ? value : "\(value) AS \(SQLSyntax.identifier(c.alias))"
        } + extra.map(SQLSyntax.identifier)).joined(separator: ", ")
        return "SELECT \(list)\nFROM (\n\(SQLSyntax.indented(rowsOnRunDate))\n)"
    }
}
