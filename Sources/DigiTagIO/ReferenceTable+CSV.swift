import DataContract
import DigiTagBase

extension ReferenceTable {
    /// Reads the table, requiring the named columns. Any malformed row is an error naming its line.
    public static func load(_ path: String, requiredColumns: [String]) throws -> ReferenceTable {
        let reader = try CSVReader(path: path)
        var header: [String]?
        var rows: [[String]] = []
        var lines: [Int] = []
        var problems: [Diagnostic] = []
        try reader.read(
            onRow: { row in
                if header == nil {
                    header = row.strings
                    return
                }
                guard row.count == header!.count else {
                    problems.append(
                        Diagnostic(
                            SourceLocation(file: path, line: row.line),
                            "expected \(header!.count) fields, found \(row.count)"))
                    return
                }
                rows.append(row.strings)
                lines.append(row.line)
            },
            onSyntaxProblem: { p in
                problems.append(Diagnostic(SourceLocation(file: path, line: p.line), p.message))
            })
        guard let header else { throw Diagnostic(SourceLocation(file: path), "the file is empty: a header row is required") }
        for column in requiredColumns where !header.contains(column) {
            problems.append(
                Diagnostic(
                    SourceLocation(file: path, line: 1), "missing required column '\(column)'",
                    hint: "the header has: \(header.joined(separator: ", "))"))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return ReferenceTable(path: path, header: header, rows: rows, lines: lines)
    }
}
