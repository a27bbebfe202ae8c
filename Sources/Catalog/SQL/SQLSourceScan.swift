import DataContract
import DigiTagBase

/// Reading one source's files as they stand on the run date.
///
/// Every declared column gets an explicit type (no sniffing of values), headers are matched by name
/// (`union_by_name`, as the engine matches columns in any order across part files), and rows whose event
/// date is after the as-of date are dropped: point in time, as in `SourceIngestor`.
struct SQLSourceScan {
    let schema: SourceSchema
    let files: [String]
    let asOf: Day
    var dialect: SQLDialect = .duckdb

    var fields: [SQLField] { schema.fields.map { SQLField(spec: $0, isEventDate: $0.name == schema.eventDate) } }

    var keyField: SQLField? { fields.first { $0.spec.type == .uscc } }

    var eventField: SQLField? { fields.first(where: \.isEventDate) }

    /// `read_csv(…)` over the source's files.
    var readCSV: String {
        // Spark: the job registers each source's files as a temporary view of the source's name.
        if dialect == .spark { return SQLSyntax.identifier(schema.name) }
        let types = fields.map { "\(dialect.string($0.spec.name)): \(dialect.string($0.readType))" }.joined(separator: ", ")
        var options = [
            "header = true", "delim = ','", "quote = '\"'", "escape = '\"'", "union_by_name = true", "types = {\(types)}",
        ]
        // DuckDB picks the decompression by file extension, which handles a mix of .csv and .csv.zst parts;
        // saying it outright where every part is compressed documents it for the reader of the query.
        if !files.isEmpty && files.allSatisfy({ $0.hasSuffix(".zst") }) { options.append("compression = 'zstd'") }
        return "read_csv(\(dialect.list(files)),\n  \(options.joined(separator: ", ")))"
    }

    /// `SELECT <columns> FROM read_csv(…) WHERE <event date> <= as-of`, each column as the engine sees it.
    /// `extra`: columns of the view taken as they are (the Spark job's record order).
    func select(_ columns: [(field: SQLField, alias: String)], extra: [String] = []) -> String {
        let list = (columns.map { c in
            let value = c.field.value(asOf: asOf, dialect: dialect)
            return value == SQLSyntax.identifier(c.alias) ? value : "\(value) AS \(SQLSyntax.identifier(c.alias))"
        } + extra.map(SQLSyntax.identifier)).joined(separator: ", ")
        var sql = "SELECT \(list)\nFROM \(readCSV)"
        if let event = eventField {
            sql += "\nWHERE \(event.value(asOf: asOf, dialect: dialect)) <= \(SQLSyntax.date(asOf))"
        }
        return sql
    }
}
