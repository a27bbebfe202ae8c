import DigiTagIO
import Engine
import Foundation

/// The profile store's on-disk layout (docs/STORE-FORMAT.md): constants, the block directory entry, the
/// metadata and the checksum. One file, `store/profile.dts`, in the run directory.
public enum StoreFormat {
    /// The version this build writes and the only one it reads.
    public static let version: UInt32 = 1
    public static let fileName = "profile.dts"
    public static let directoryName = "store"
    static let headerMagic = Array("DGTSTORE".utf8)
    static let trailerMagic = Array("DGTSEND1".utf8)
    static let headerSize = 16
    static let trailerSize = 48
    static let entrySize = 32
    /// Enterprises per row group: fixed, so the file is the same bytes whatever the run's shard count.
    public static let defaultGroupSize = 4_096

    public static func path(run: String) -> String {
        run + "/" + directoryName + "/" + fileName
    }
}

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

/// What a store column holds.
public enum StoreColumnKind: String, Codable, Sendable {
    case key, text, bool, number, date, category
}

/// A column of the store: a tag, a registration field, or part of the risk result.
public struct StoreColumn: Codable, Sendable {
    public var name: String
    public var kind: StoreColumnKind
    /// For categories: the column's dictionary (stored index → text), in order of first appearance.
    public var dictionary: [String]?
    /// Rows with a value (booleans: rows that are true).
    public var filled: Int
}

/// A tag's description, so that a profile needs nothing but the store.
public struct StoreTag: Codable, Sendable {
    public var id: String
    public var nameZh: String
    public var nameEn: String
    public var kind: String
    public var unit: String?
    public var family: String
    public var dimension: String
    public var dimensionZh: String
    public var sensitivity: String
    /// For categorical tags: the category's name and values (the query type checker's view).
    public var categoryName: String?
    public var categoryValues: [String]?
}

/// A region code's county and city, as `classes.csv` shows them.
public struct StoreRegion: Codable, Sendable {
    public var code: String
    public var name: String
    public var cityCode: String
    public var cityName: String
}

/// The store's metadata, written after the blocks (zstd-compressed JSON).
public struct StoreMeta: Codable, Sendable {
    public var formatVersion: Int
    public var pipeline: String
    public var pipelineHash: String
    public var asOf: String
    public var enterprises: Int
    public var groupSize: Int
    public var groupCount: Int
    /// The first USCC of every row group, to find an enterprise's group without reading any block.
    public var groupFirstKeys: [String]
    public var classes: [String]
    public var classNamesZh: [String]
    public var tags: [StoreTag]
    public var regions: [StoreRegion]
    public var columns: [StoreColumn]
}

/// CRC-32 (IEEE 802.3, the zlib/PNG polynomial), slice-by-8: eight bytes per step through eight tables.
enum CRC32 {
    /// `tables[k * 256 + b]`: the CRC of byte b followed by k zero bytes.
    static let tables: [UInt32] = {
        var t = [UInt32](repeating: 0, count: 8 * 256)
        for n in 0..<256 {
            var c = UInt32(n)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
            t[n] = c
        }
        for n in 0..<256 {
            var c = t[n]
            for k in 1..<8 {
                c = t[Int(c & 0xFF)] ^ (c >> 8)
                t[k * 256 + n] = c
            }
        }
        return t
    }()

    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        tables.withUnsafeBufferPointer { t in
            var p = 0
            let n = bytes.count
            while p + 8 <= n {
                let w = bytes.loadLE(UInt64.self, at: p)
                let lo = c ^ UInt32(truncatingIfNeeded: w)
                let hi = UInt32(truncatingIfNeeded: w >> 32)
                c = t[7 * 256 + Int(lo & 0xFF)] ^ t[6 * 256 + Int((lo >> 8) & 0xFF)] ^ t[5 * 256 + Int((lo >> 16) & 0xFF)]
                    ^ t[4 * 256 + Int(lo >> 24)] ^ t[3 * 256 + Int(hi & 0xFF)] ^ t[2 * 256 + Int((hi >> 8) & 0xFF)]
                    ^ t[256 + Int((hi >> 16) & 0xFF)] ^ t[Int(hi >> 24)]
                p += 8
            }
            while p < n {
                c = t[Int((c ^ UInt32(bytes[p])) & 0xFF)] ^ (c >> 8)
                p += 1
            }
        }
        return c ^ 0xFFFF_FFFF
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 { bytes.withUnsafeBytes { checksum($0) } }
}

extension Array where Element == UInt8 {
    mutating func appendLE<T: FixedWidthInteger>(_ v: T) {
        Swift.withUnsafeBytes(of: v.littleEndian) { append(contentsOf: $0) }
    }
}

extension UnsafeRawBufferPointer {
    func loadLE<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}

/// The store's checksum, for tools and tests.
public enum StoreChecksum {
    public static func crc32(_ bytes: [UInt8]) -> UInt32 { CRC32.checksum(bytes) }
}
