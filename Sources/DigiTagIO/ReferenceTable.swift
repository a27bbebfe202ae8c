import DigiTagBase

/// A small code table read from a CSV with a header (regions, industries, inspectors' items …).
///
/// Rows are kept as text: these tables have hundreds of rows, not millions.
public struct ReferenceTable: Sendable {
    public let path: String
    public let header: [String]
    public let rows: [[String]]
    /// The line each row starts on, for error messages.
    public let lines: [Int]

    public init(path: String, header: [String], rows: [[String]], lines: [Int]) {
        self.path = path
        self.header = header
        self.rows = rows
        self.lines = lines
    }

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

    /// The values of one column, in file order.
    public func column(_ name: String) -> [String] {
        guard let i = header.firstIndex(of: name) else { return [] }
        return rows.map { $0[i] }
    }

    /// Row `r` as a dictionary (for readable code at the edges).
    public func record(_ r: Int) -> [String: String] {
        Dictionary(uniqueKeysWithValues: zip(header, rows[r]))
    }
}
