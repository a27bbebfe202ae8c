/// A small code table read from a CSV with a header (regions, industries, inspectors' items …).
///
/// The type is part of the data contract (the tag language checks values against it); reading it from a
/// file needs libcsv, so `load` lives in DigiTagIO (`ReferenceTable+CSV.swift`).
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
