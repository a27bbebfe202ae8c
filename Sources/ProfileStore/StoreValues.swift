import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import RunModel

extension StoreReader {
    /// One enterprise's value of one column, formatted as the run's CSV files write it
    /// (booleans `1`/`0`, numbers rounded to 4 decimals, dates `YYYY-MM-DD`, categories as text, empty for null).
    /// Decodes only the row asked for.
    public func formatted(column c: Int, ordinal: Int) throws -> String {
        try formatted(column: c, ordinal: ordinal, cursor: cursor)
    }

    package func formatted(column c: Int, ordinal: Int, cursor: StoreCursor) throws -> String {
        let g = ordinal / meta.groupSize
        let (e, raw) = try block(column: c, group: g, cursor: cursor)
        return try raw.withUnsafeBytes { try format(row: ordinal % meta.groupSize, of: e, b: $0, column: c, rows: rows(inGroup: g)) }
    }

    /// Several enterprises' values of one column, all in row group `g` (`rows` are rows of the group, in any
    /// order), formatted as `formatted(column:ordinal:)` does: the block is read and decompressed once.
    public func formatted(column c: Int, group g: Int, rows: [Int]) throws -> [String] {
        let (e, raw) = try block(column: c, group: g, cursor: cursor)
        let n = self.rows(inGroup: g)
        return try raw.withUnsafeBytes { b in try rows.map { try format(row: $0, of: e, b: b, column: c, rows: n) } }
    }

    /// Row `r` of a checked, decompressed block.
    func format(row r: Int, of e: BlockEntry, b: UnsafeRawBufferPointer, column c: Int, rows n: Int) throws -> String {
        let column = meta.columns[c]
        switch e.encoding {
        case .keys: return USCC.text(b.loadLE(UInt128.self, at: r * 16))
        case .text:
            let lo = Int(b.loadLE(UInt32.self, at: r * 4))
            let hi = Int(b.loadLE(UInt32.self, at: r * 4 + 4))
            let start = (n + 1) * 4
            return String(decoding: UnsafeRawBufferPointer(rebasing: b[(start + lo)..<(start + hi)]), as: UTF8.self)
        case .bits: return (b[r >> 3] >> UInt8(r & 7)) & 1 == 1 ? "1" : "0"
        case .doubles: return Self.format(Double(bitPattern: b.loadLE(UInt64.self, at: r * 8)), column)
        case .integers:
            let v = Self.value(row: r, of: e, b: b)
            if column.kind == .category {
                if v.isNaN { return "" }
                guard let d = column.dictionary, v >= 0, Int(v) < d.count else {
                    throw InputError(file: path, message: "corrupt profile store: a value of column '\(column.name)' is outside its dictionary")
                }
                return d[Int(v)]
            }
            return Self.format(v, column)
        }
    }

    /// Row `r` of a checked, decompressed block as a number: booleans 1/0, dates as days, categories their
    /// dictionary index, NaN for empty (and for text and keys), as `numbers(column:group:)` decodes it.
    static func value(row r: Int, of e: BlockEntry, b: UnsafeRawBufferPointer) -> Double {
        switch e.encoding {
        case .bits: return (b[r >> 3] >> UInt8(r & 7)) & 1 == 1 ? 1 : 0
        case .doubles: return Double(bitPattern: b.loadLE(UInt64.self, at: r * 8))
        case .text, .keys: return .nan
        case .integers:
            switch e.width {
            case 1: return b[r] == 0xFF ? .nan : Double(Int64(b[r]) + e.base)
            case 2:
                let u = b.loadLE(UInt16.self, at: r * 2)
                return u == .max ? .nan : Double(Int64(u) + e.base)
            case 4:
                let u = b.loadLE(UInt32.self, at: r * 4)
                return u == .max ? .nan : Double(Int64(u) + e.base)
            default:
                let u = b.loadLE(UInt64.self, at: r * 8)
                return u == .max ? .nan : Double(Int64(bitPattern: u &+ UInt64(bitPattern: e.base)))
            }
        }
    }

    static func format(_ v: Double, _ column: StoreColumn) -> String {
        switch column.kind {
        case .bool: return v != 0 ? "1" : "0"
        case .date: return v.isNaN ? "" : Day(Int32(v)).description
        default: return ValueFormat.number(v)
        }
    }
}
