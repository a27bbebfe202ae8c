import DigiTagBase
import Foundation
import Sampling

/// A small deterministic generator for test data (SplitMix64): tests never use a global random source.
struct TestRandom {
    var state: UInt64

    init(_ seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    mutating func chance(_ p: Double) -> Bool { Double(next() >> 11) / Double(UInt64(1) << 53) < p }

    mutating func pick<T>(_ a: [T]) -> T { a[int(0...(a.count - 1))] }

    mutating func shuffle<T>(_ a: [T]) -> [T] {
        var out = a
        if out.count < 2 { return out }
        for i in stride(from: out.count - 1, to: 0, by: -1) { out.swapAt(i, int(0...i)) }
        return out
    }
}

enum Fixtures {
    /// A valid 18-character USCC for ordinal `i` in county `county`.
    static func uscc(_ i: Int, county: String = "370102") -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        var body = "91" + county
        var v = i
        var org = ""
        for _ in 0..<9 {
            org = String(alphabet[v % 31]) + org
            v /= 31
        }
        body += org
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let values = body.map { c in alphabet.firstIndex(of: c)! }
        let sum = zip(values, weights).reduce(0) { $0 + $1.0 * $1.1 }
        let c = (31 - sum % 31) % 31
        return body + String(alphabet[c])
    }

    /// Enterprises over `counties` (county i of city "37" + 2 digits) with classes from `classOf`.
    static func population(
        _ n: Int, counties: [String] = ["370102"], classOf: (Int) -> String = { ["A", "A", "A", "B", "C", "D"][$0 % 6] },
        countyOf: ((Int) -> Int)? = nil
    ) -> [Candidate] {
        (0..<n).map { i in
            let county = counties[countyOf?(i) ?? (i % counties.count)]
            return Candidate(
                uscc: uscc(i, county: county), name: "企业\(i)", region: county, city: String(county.prefix(4)), riskClass: classOf(i))
        }
    }

    /// An expression clause; a draw never reads its text (groups and weights come with the candidates).
    static func clause(_ expression: String) -> ScopeClause {
        ScopeClause(name: "where", expression: expression, location: SourceLocation(file: "test"))
    }

    static func task(
        strata: [String] = ["class"], ratios: [String: Double] = ["A": 0.014, "B": 0.03, "C": 0.1, "D": 0.1],
        rounding: Rounding = .keyed, minimum: Int = 0, maximum: Int? = nil
    ) -> SamplingTask {
        SamplingTask(
            id: "T-1", nameZh: "测试", nameEn: "test", strata: strata, ratios: ratios, minimumPerStratum: minimum,
            maximumPerStratum: maximum, sourceText: "", rounding: rounding)
    }
}
