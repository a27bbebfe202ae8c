/// 64-bit hashes for natural keys: of a text field's bytes (stored in the spill row instead of the text)
/// and of a whole key (to sort an enterprise's records so that equal keys meet).
///
/// Not cryptographic: records are compared per enterprise, a few to a few hundred, so a collision between
/// two different keys is about k²/2⁶⁵ per enterprise. A collision of whole-key hashes is harmless (the
/// fields are compared after); one of text hashes would take two case numbers for one.
package enum KeyHash {
    package static let seed: UInt64 = 0xCBF2_9CE4_8422_2325

    /// FNV-1a over the bytes, finished with SplitMix64's mix so that short texts spread over all 64 bits.
    @inline(__always)
    package static func of(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var h = seed
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return mix(h)
    }

    /// Folds one 64-bit value into a running hash.
    @inline(__always)
    static func combine(_ h: UInt64, _ v: UInt64) -> UInt64 { mix(h ^ (v &+ 0x9E37_79B9_7F4A_7C15 &+ (h << 6) &+ (h >> 2))) }

    @inline(__always)
    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
