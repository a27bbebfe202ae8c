import DataContract
import DigiTagIO

/// A CSV file of tag values — the engine's `tags.csv` or DuckDB's export — read whole.
struct TagTable {
    let path: String
    let header: [String]
    /// Data rows; the first field is the USCC.
    let rows: [[String]]

    /// Reads the file with the project's own CSV reader (`ReferenceTable`): a malformed row or a wrong field
    /// count is an error, not a skipped row.
    static func read(_ path: String) throws -> TagTable {
        do {
            let table = try ReferenceTable.load(path, requiredColumns: [])
            return TagTable(path: path, header: table.header, rows: table.rows)
        } catch {
            throw OracleError("\(path): \(error)")
        }
    }

    /// The `type` and `expression` of every tag in a run's `tag_catalog.csv`, by tag id.
    static func catalog(_ path: String) throws -> (types: [String: String], expressions: [String: String]) {
        let table = try read(path)
        guard let id = table.header.firstIndex(of: "id"), let type = table.header.firstIndex(of: "type"),
            let expression = table.header.firstIndex(of: "expression")
        else {
            throw OracleError("\(path): expected columns id, type and expression, found \(table.header.joined(separator: ","))")
        }
        var types: [String: String] = [:]
        var expressions: [String: String] = [:]
        for row in table.rows where row.count == table.header.count {
            types[row[id]] = row[type]
            expressions[row[id]] = row[expression]
        }
        return (types, expressions)
    }
}
