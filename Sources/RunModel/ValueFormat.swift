import Catalog
import DataContract
import DigiTagBase
import DigiTagIO

/// How tag values are written in CSV outputs: one rule, used everywhere, so files compare byte for byte.
///
/// Booleans `1`/`0`; numbers rounded to 4 decimals, whole numbers without a decimal point; dates
/// `YYYY-MM-DD`; categories as their text; empty for null.
public enum ValueFormat {
    public static func number(_ v: Double) -> String {
        if v.isNaN { return "" }
        let r = rounded(v)
        if let whole = wholeNumber(r) { return String(whole) }
        return String(r)
    }

    /// The value as written: rounded to 4 decimals.
    @inline(__always)
    public static func rounded(_ v: Double) -> Double { (v * 10000).rounded() / 10000 }

    /// A rounded value written without a decimal point, if it is a whole number.
    @inline(__always)
    public static func wholeNumber(_ r: Double) -> Int64? { r == r.rounded() && Swift.abs(r) < 1e15 ? Int64(r) : nil }

    public static func value(_ column: Column, _ i: Int, type: ValueType, vocabulary: Vocabulary) -> String {
        switch type {
        case .bool: return column.numbers[i] != 0 ? "1" : "0"
        case .number: return number(column.numbers[i])
        case .date:
            let v = column.numbers[i]
            return v.isNaN ? "" : Day(Int32(v)).description
        case .category: return vocabulary.text(column.codes[i]) ?? ""
        }
    }
}
