/// Score deciles the way SQL's `NTILE(10) OVER (ORDER BY score DESC, key)` makes them: the highest scores in
/// decile 1, groups as equal as can be (the first `n mod 10` one larger), ties split by the key order so that
/// the split is deterministic.
public enum Deciles {
    /// - Parameter keys: a total order among equal scores (e.g. the USCC).
    /// - Returns: each unit's decile, 1…`groups` (fewer units than groups: one per group).
    public static func assign(scores: [Double], keys: [String], groups: Int = 10) -> [Int] {
        let n = scores.count
        let order = scores.indices.sorted { a, b in
            scores[a] != scores[b] ? scores[a] > scores[b] : keys[a] < keys[b]
        }
        var decile = [Int](repeating: 0, count: n)
        let base = n / groups
        let larger = n % groups
        var position = 0
        for g in 0..<groups {
            let size = base + (g < larger ? 1 : 0)
            for _ in 0..<size {
                decile[order[position]] = g + 1
                position += 1
            }
        }
        return decile
    }
}

/// One row of a rate table: units, positives, the rate with its Wilson interval and the lift over the overall
/// rate (1 = no better than inspecting at random).
public struct RateRow: Sendable, Codable, Equatable {
    public var key: String
    public var units: Int
    public var positives: Int
    public var rate: WilsonInterval
    public var lift: Double
    /// The mean score (or predicted probability) of the units, for calibration.
    public var meanScore: Double

    public static func rows(keys: [String], outcomes: [Bool], scores: [Double], order: [String]? = nil) -> [RateRow] {
        var units: [String: Int] = [:]
        var positives: [String: Int] = [:]
        var scoreSums: [String: Double] = [:]
        for (i, k) in keys.enumerated() {
            units[k, default: 0] += 1
            if outcomes[i] { positives[k, default: 0] += 1 }
            scoreSums[k, default: 0] += scores[i]
        }
        let overall = outcomes.isEmpty ? Double.nan : Double(outcomes.filter { $0 }.count) / Double(outcomes.count)
        return (order ?? units.keys.sorted()).map { k in
            let u = units[k] ?? 0
            let p = positives[k] ?? 0
            let w = WilsonInterval(successes: Double(p), trials: Double(u))
            return RateRow(
                key: k, units: u, positives: p, rate: w, lift: u > 0 && overall > 0 ? w.rate / overall : .nan,
                meanScore: u > 0 ? (scoreSums[k] ?? 0) / Double(u) : .nan)
        }
    }
}
