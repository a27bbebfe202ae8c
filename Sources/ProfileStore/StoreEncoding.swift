import Foundation

/// Encodes and decodes the raw (uncompressed) bytes of store blocks; see `BlockEncoding`.
enum StoreEncoding {
    static func bits(_ values: [Double]) -> [UInt8] {
        var out: [UInt8] = []
        appendBits(values, to: &out)
        return out
    }

    /// Whole numbers (NaN = empty) as `value - base` in the narrowest of 1, 2, 4 or 8 bytes; `nil` when a value
    /// is not a whole number that a Double holds exactly (then the block stays binary64).
    static func integers(_ values: [Double]) -> (width: UInt8, base: Int64, bytes: [UInt8])? {
        guard let (width, base) = integerLayout(values) else { return nil }
        var out = [UInt8]()
        appendIntegers(values, width: width, base: base, to: &out)
        return (width, base, out)
    }

    static func doubles(_ values: [Double]) -> [UInt8] {
        var out: [UInt8] = []
        appendDoubles(values, to: &out)
        return out
    }

    static func text(_ values: [String]) -> [UInt8] {
        var out: [UInt8] = []
        appendText(values, to: &out)
        return out
    }

    static func keys(_ values: [UInt128]) -> [UInt8] {
        var out: [UInt8] = []
        appendKeys(values, to: &out)
        return out
    }

    // MARK: encoding into a buffer (the column blocks above and the row blocks of `RowBlockWriter`)

    static func appendBits<C: Collection>(_ values: C, to out: inout [UInt8]) where C.Element == Double {
        var words = [UInt64](repeating: 0, count: (values.count + 63) / 64)
        for (i, v) in values.enumerated() where v != 0 { words[i >> 6] |= 1 << UInt64(i & 63) }
        out.reserveCapacity(out.count + words.count * 8)
        for w in words { out.appendLE(w) }
    }

    /// The width and base of the integer encoding of `values`, or nil when one is not a whole number a Double
    /// holds exactly.
    static func integerLayout<C: Collection>(_ values: C) -> (width: UInt8, base: Int64)? where C.Element == Double {
        var lo = Int64.max
        var hi = Int64.min
        for v in values where !v.isNaN {
            guard v == v.rounded(), Swift.abs(v) < 9_007_199_254_740_992, !(v == 0 && v.sign == .minus) else { return nil }
            let i = Int64(v)
            lo = Swift.min(lo, i)
            hi = Swift.max(hi, i)
        }
        if lo > hi { (lo, hi) = (0, 0) }
        let range = UInt64(hi - lo)
        let width: UInt8 = range < 0xFF ? 1 : range < 0xFFFF ? 2 : range < 0xFFFF_FFFF ? 4 : 8
        return (width, lo)
    }

    static func appendIntegers<C: Collection>(_ values: C, width: UInt8, base lo: Int64, to out: inout [UInt8]) where C.Element == Double {
        out.reserveCapacity(out.count + values.count * Int(width))
        for v in values {
            let u: UInt64 = v.isNaN ? UInt64.max : UInt64(Int64(v) - lo)
            switch width {
            case 1: out.append(UInt8(truncatingIfNeeded: u))
            case 2: out.appendLE(UInt16(truncatingIfNeeded: u))
            case 4: out.appendLE(UInt32(truncatingIfNeeded: u))
            default: out.appendLE(u)
            }
        }
    }

    static func appendDoubles<C: Collection>(_ values: C, to out: inout [UInt8]) where C.Element == Double {
        out.reserveCapacity(out.count + values.count * 8)
        for v in values { out.appendLE(v.bitPattern) }
    }

    static func appendText<C: Collection>(_ values: C, to out: inout [UInt8]) where C.Element == String {
        var end: UInt32 = 0
        out.appendLE(end)
        for v in values {
            end += UInt32(v.utf8.count)
            out.appendLE(end)
        }
        for v in values { out += v.utf8 }
    }

    static func appendKeys<C: Collection>(_ values: C, to out: inout [UInt8]) where C.Element == UInt128 {
        out.reserveCapacity(out.count + values.count * 16)
        for v in values { out.appendLE(v) }
    }

    // MARK: decoding

    static func decodeBits(_ b: UnsafeRawBufferPointer, rows: Int) -> [Double] {
        (0..<rows).map { i in (b[i >> 3] >> UInt8(i & 7)) & 1 == 1 ? 1 : 0 }
    }

    /// The integer block's values as Doubles (NaN = empty).
    static func decodeIntegers(_ b: UnsafeRawBufferPointer, rows: Int, width: UInt8, base: Int64) -> [Double] {
        var out = [Double](repeating: .nan, count: rows)
        func fill<T: FixedWidthInteger & UnsignedInteger>(_: T.Type) {
            for i in 0..<rows {
                let u = b.loadLE(T.self, at: i * MemoryLayout<T>.size)
                if u != T.max { out[i] = Double(Int64(bitPattern: UInt64(u) &+ UInt64(bitPattern: base))) }
            }
        }
        switch width {
        case 1: fill(UInt8.self)
        case 2: fill(UInt16.self)
        case 4: fill(UInt32.self)
        default: fill(UInt64.self)
        }
        return out
    }

    static func decodeDoubles(_ b: UnsafeRawBufferPointer, rows: Int) -> [Double] {
        (0..<rows).map { Double(bitPattern: b.loadLE(UInt64.self, at: $0 * 8)) }
    }

    static func decodeText(_ b: UnsafeRawBufferPointer, rows: Int) -> [String] {
        let start = (rows + 1) * 4
        return (0..<rows).map { i in
            let lo = Int(b.loadLE(UInt32.self, at: i * 4))
            let hi = Int(b.loadLE(UInt32.self, at: i * 4 + 4))
            return String(decoding: UnsafeRawBufferPointer(rebasing: b[(start + lo)..<(start + hi)]), as: UTF8.self)
        }
    }

    static func decodeKeys(_ b: UnsafeRawBufferPointer, rows: Int) -> [UInt128] {
        (0..<rows).map { b.loadLE(UInt128.self, at: $0 * 16) }
    }

    /// Bytes a block of `rows` rows must have, to reject a directory that does not match its data.
    static func expectedLength(_ e: BlockEntry, rows: Int) -> Int? {
        switch e.encoding {
        case .bits: return (rows + 63) / 64 * 8
        case .integers: return [1, 2, 4, 8].contains(Int(e.width)) ? rows * Int(e.width) : -1
        case .doubles: return rows * 8
        case .keys: return rows * 16
        case .text: return nil
        }
    }
}
