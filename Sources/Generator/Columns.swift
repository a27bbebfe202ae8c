import DataContract
import DigiTagBase
import DigiTagIO

/// Column positions of a reference table, looked up once by header name.
struct Columns {
    private let positions: [String: Int]

    init(_ table: ReferenceTable, _ required: [String]) throws {
        var positions: [String: Int] = [:]
        for (i, name) in table.header.enumerated() where positions[name] == nil { positions[name] = i }
        let missing = required.filter { positions[$0] == nil }
        if !missing.isEmpty {
            throw Diagnostic(
                SourceLocation(file: table.path, line: 1), "missing column(s) \(missing.joined(separator: ", "))",
                hint: "the header has: \(table.header.joined(separator: ", "))")
        }
        self.positions = positions
    }

    /// Only called with names checked in `init`.
    subscript(_ name: String) -> Int { positions[name] ?? 0 }
}
