import DigiTagBase

/// How identifiers and literals are spelled in the generated DuckDB SQL.
///
/// One place for quoting, so that a tag id with dots, a field called `list` or a category value with a
/// quote in it can never change what the query means.
enum SQLSyntax {
    /// A quoted identifier. Every name is quoted: tag ids contain dots, and field names may be SQL keywords.
    static func identifier(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }

    /// A string literal.
    static func string(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    /// A DATE literal.
    static func date(_ day: Day) -> String { "DATE '\(day)'" }

    /// The epoch of the engine's day numbers, for converting between DATE and a count of days.
    static let epoch = "DATE '1970-01-01'"

    /// A number literal. Whole numbers are integers (so `date - 365` stays a DATE); any other value is
    /// an explicit DOUBLE, because DuckDB reads `0.01` as a DECIMAL and would do decimal arithmetic.
    static func number(_ v: Double) -> String {
        if !v.isFinite {
            return v.isNaN ? "CAST(NULL AS DOUBLE)" : "CAST('\(v < 0 ? "-" : "")inf' AS DOUBLE)"
        }
        if v == v.rounded(), Swift.abs(v) < 9.0e15 {
            let i = Int64(v)
            return i < 0 ? "(\(i))" : "\(i)"
        }
        return "CAST(\(v) AS DOUBLE)"
    }

    /// A list literal of strings: `['a', 'b']`.
    static func list(_ items: [String]) -> String { "[" + items.map(string).joined(separator: ", ") + "]" }

    /// Indents every line of `text`, for nesting a clause inside another.
    static func indented(_ text: String, by spaces: Int = 2) -> String {
        let pad = String(repeating: " ", count: spaces)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : pad + $0 }.joined(separator: "\n")
    }

    /// Items one per line, comma-separated and indented: the body of a `SELECT` list.
    static func lines(_ items: [String]) -> String { indented(items.joined(separator: ",\n")) }

    /// Removes one pair of parentheses around a whole expression, for readability at the top level.
    static func unwrapped(_ sql: String) -> String {
        let bytes = Array(sql.utf8)
        guard bytes.first == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") else { return sql }
        var depth = 0
        var quote: UInt8?
        for (i, b) in bytes.enumerated() {
            if let q = quote {
                if b == q { quote = nil }
                continue
            }
            switch b {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = b
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                // The first parenthesis closes before the end: `(a) + (b)` must keep its parentheses.
                if depth == 0 && i != bytes.count - 1 { return sql }
            default: break
            }
        }
        return String(decoding: bytes.dropFirst().dropLast(), as: UTF8.self)
    }
}
