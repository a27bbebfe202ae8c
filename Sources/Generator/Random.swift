import Foundation

/// The generator's only source of randomness: xoshiro256** seeded through SplitMix64.
///
/// Every enterprise gets its own stream derived from `(seed, enterprise index, stream)`, so enterprise
/// *i*'s records never depend on how many enterprises are generated, on the order in which they are
/// generated, or on draws made for other sources. Neither the clock nor the system generator is used:
/// the same options always give byte-identical files.
struct Random {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Independent sub-streams of one enterprise: adding draws to one leaves the others unchanged.
    enum Stream: UInt64 {
        case profile = 1
        case market = 2
        case tax = 3
        case credit = 4
        case filings = 5
        case personBlock = 6
        case addressCluster = 7
        case inspectors = 8
        case organisationCode = 9
        case person = 10
    }

    init(seed: UInt64, key: UInt64, stream: Stream) {
        var sm = Random.splitMix(seed ^ Random.splitMix(key &+ 0x632B_E59B_D9B4_E019 &* stream.rawValue))
        s0 = Random.nextSplitMix(&sm)
        s1 = Random.nextSplitMix(&sm)
        s2 = Random.nextSplitMix(&sm)
        s3 = Random.nextSplitMix(&sm)
    }

    /// SplitMix64's finaliser: a bijective 64-bit mix.
    static func splitMix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func nextSplitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func unit() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform integer in `range` (Lemire's multiply-shift; the bias is below 2^-40 for our ranges).
    @inline(__always)
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) &+ 1
        if span == 0 { return Int(truncatingIfNeeded: next()) }
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    /// Uniform index in `0..<count`.
    @inline(__always)
    mutating func index(_ count: Int) -> Int { int(0...(count - 1)) }

    mutating func uniform(_ low: Double, _ high: Double) -> Double { low + (high - low) * unit() }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// Standard normal (Box–Muller, one value per call: simplicity over speed, it is not in a hot loop).
    mutating func normal() -> Double {
        let u1 = max(unit(), 0x1.0p-60)
        let u2 = unit()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Log-normal with the given median and log-scale spread.
    mutating func logNormal(median: Double, sigma: Double) -> Double { median * exp(sigma * normal()) }

    /// Poisson count: Knuth's product method for small means, a rounded normal for large ones.
    mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        if mean > 30 { return max(0, Int((mean + mean.squareRoot() * normal()).rounded())) }
        let limit = exp(-mean)
        var k = 0
        var p = unit()
        while p > limit {
            k += 1
            p *= unit()
        }
        return k
    }

    /// An element of a non-empty array, uniformly.
    mutating func element<T>(_ array: [T]) -> T { array[index(array.count)] }

    /// An index drawn with probability proportional to `weights` (small inline tables).
    mutating func weighted(_ weights: [Double]) -> Int {
        var total = 0.0
        for w in weights { total += w }
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }
}
