import Foundation

/// Rows with a header, rendered for a terminal (aligned), for tools (JSON) or for spreadsheets (CSV).
public struct TextTable: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// Columns whose values are numbers: right-aligned in a table, numbers in JSON.
    public var numericColumns: Set<Int>

    public init(header: [String], rows: [[String]], numericColumns: Set<Int> = []) {
        self.header = header
        self.rows = rows
        self.numericColumns = numericColumns
    }

    /// Columns a string takes in a terminal: East Asian Wide and Fullwidth characters count 2,
    /// combining marks and zero-width characters 0.
    public static func displayWidth(_ s: String) -> Int {
        var w = 0
        for u in s.unicodeScalars {
            let v = u.value
            switch v {
            case 0x0300...0x036F, 0x200B...0x200F, 0xFE00...0xFE0F: break
            case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
                0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
                0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
                w += 2
            default: w += 1
            }
        }
        return w
    }

    /// `s` filled with spaces to `width` terminal columns (`displayWidth`), on the left when `right`.
    public static func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - displayWidth(s)))
        return right ? fill + s : s + fill
    }

    /// Aligned columns separated by two spaces, a rule under the header.
    public func text() -> String {
        var widths = header.map(Self.displayWidth)
        for row in rows {
            for (i, v) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], Self.displayWidth(v)) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, v) in cells.enumerated() {
                let last = i == cells.count - 1
                let right = numericColumns.contains(i)
                parts.append(last && !right ? v : Self.pad(v, widths[i], right: right))
            }
            return parts.joined(separator: "  ")
        }
        var out = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.joined(separator: "\n")
    }

    /// An array of objects, one per row, keys in header order.
    public func json() -> String {
        var out = "["
        for (k, row) in rows.enumerated() {
            out += k == 0 ? "\n  {" : ",\n  {"
            for (i, v) in row.enumerated() {
                out += (i == 0 ? "" : ", ") + Self.jsonString(header[i]) + ": "
                if numericColumns.contains(i) && v.isEmpty {
                    out += "null"
                } else if numericColumns.contains(i) && Double(v) != nil {
                    out += v
                } else {
                    out += Self.jsonString(v)
                }
            }
            out += "}"
        }
        return out + (rows.isEmpty ? "]" : "\n]")
    }

    public static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }

    /// Writes the table as CSV, formula-safe; with a byte-order mark (the default) for files opened in
    /// Excel, without one for standard output, where programs read it.
    public func writeCSV(to path: String, bom: Bool = true) throws {
        let w = try CSVWriter(path: path, header: header, bom: bom, formulaSafe: true)
        for row in rows { try w.row(row) }
        try w.close()
    }
}
