/// How a block's bytes encode its rows.
enum BlockEncoding: UInt8 {
    /// One bit per row, least significant bit first, in 64-bit little-endian words.
    case bits = 0
    /// Unsigned little-endian integers of `width` bytes: value = stored + base; all ones = empty.
    case integers = 1
    /// IEEE 754 binary64, little-endian; NaN = empty.
    case doubles = 2
    /// `rows + 1` UInt32 offsets, then the UTF-8 bytes of every row.
    case text = 3
    /// Packed USCCs, 16 bytes little-endian each.
    case keys = 4
}

/// One block of the directory: where (column, group) lives and how to read it.
struct BlockEntry: Equatable {
    var offset: UInt64
    var compressedLength: UInt32
    var rawLength: UInt32
    var crc: UInt32
    var encoding: BlockEncoding
    var width: UInt8
    var base: Int64

    func append(to out: inout [UInt8]) {
        out.appendLE(offset)
        out.appendLE(compressedLength)
        out.appendLE(rawLength)
        out.appendLE(crc)
        out.append(encoding.rawValue)
        out.append(width)
        out.appendLE(UInt16(0))
        out.appendLE(UInt64(bitPattern: base))
    }

    static func read(_ b: UnsafeRawBufferPointer, at p: Int) -> BlockEntry? {
        guard let encoding = BlockEncoding(rawValue: b[p + 20]) else { return nil }
        return BlockEntry(
            offset: b.loadLE(UInt64.self, at: p), compressedLength: b.loadLE(UInt32.self, at: p + 8),
            rawLength: b.loadLE(UInt32.self, at: p + 12), crc: b.loadLE(UInt32.self, at: p + 16), encoding: encoding,
            width: b[p + 21], base: Int64(bitPattern: b.loadLE(UInt64.self, at: p + 24)))
    }
}
