/// Maps short byte strings (enum codes, region codes) to integer codes without allocating per lookup.
///
/// Open addressing over an FNV-1a hash; keys live in one byte arena.
/// - Complexity: O(key length) per lookup, expected.
public struct ByteCodeTable: Sendable {
    private var arena: [UInt8] = []
    private var slots: [Int32]  // index into entries, -1 empty
    private var entries: [(offset: Int32, length: Int32, code: Int32)] = []
    private let mask: Int

    public init(_ pairs: [(String, Int32)]) {
        var size = 16
        while size < pairs.count * 4 { size <<= 1 }
        slots = [Int32](repeating: -1, count: size)
        mask = size - 1
        for (key, code) in pairs { insert(Array(key.utf8), code) }
    }

    @inlinable
    static func hash(_ bytes: UnsafeRawBufferPointer) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    private mutating func insert(_ key: [UInt8], _ code: Int32) {
        let h = key.withUnsafeBytes { ByteCodeTable.hash($0) }
        var i = h & mask
        while slots[i] >= 0 { i = (i + 1) & mask }
        slots[i] = Int32(entries.count)
        entries.append((Int32(arena.count), Int32(key.count), code))
        arena.append(contentsOf: key)
    }

    /// The code of `bytes`, or `nil` if it is not a known key.
    public func code(_ bytes: UnsafeRawBufferPointer) -> Int32? {
        var i = ByteCodeTable.hash(bytes) & mask
        return arena.withUnsafeBytes { a -> Int32? in
            while true {
                let s = Int(slots[i])
                if s < 0 { return nil }
                let e = entries[s]
                if Int(e.length) == bytes.count
                    && (bytes.count == 0 || memcmp(a.baseAddress! + Int(e.offset), bytes.baseAddress!, bytes.count) == 0)
                {
                    return e.code
                }
                i = (i + 1) & mask
            }
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
