/// A percentile bootstrap interval for a statistic of (score, outcome) pairs, seeded and so deterministic.
///
/// Each replicate resamples the pairs with replacement; the interval is the 2.5% and 97.5% percentiles of the
/// replicates' statistic (replicates where it is undefined, e.g. no positive drawn, are skipped).
public struct BootstrapInterval: Sendable, Equatable, Codable {
    public var estimate: Double
    public var lower: Double
    public var upper: Double

    public init(estimate: Double, lower: Double, upper: Double) {
        self.estimate = estimate
        self.lower = lower
        self.upper = upper
    }

    public static func of(
        scores: [Double], outcomes: [Bool], replicates: Int = 200, seed: UInt64 = 20_241_231,
        statistic: ([Double], [Bool]) -> Double
    ) -> BootstrapInterval {
        let estimate = statistic(scores, outcomes)
        let n = scores.count
        guard n > 1, replicates > 0 else { return BootstrapInterval(estimate: estimate, lower: .nan, upper: .nan) }
        var random = SeededGenerator(seed: seed)
        var values: [Double] = []
        values.reserveCapacity(replicates)
        var s = [Double](repeating: 0, count: n)
        var o = [Bool](repeating: false, count: n)
        for _ in 0..<replicates {
            for k in 0..<n {
                let i = random.index(n)
                s[k] = scores[i]
                o[k] = outcomes[i]
            }
            let v = statistic(s, o)
            if !v.isNaN { values.append(v) }
        }
        guard !values.isEmpty else { return BootstrapInterval(estimate: estimate, lower: .nan, upper: .nan) }
        values.sort()
        return BootstrapInterval(
            estimate: estimate, lower: Quantile.sorted(values, 0.025), upper: Quantile.sorted(values, 0.975))
    }
}

/// Quantiles of sorted values, by linear interpolation between order statistics (type 7, as numpy and DuckDB's
/// `quantile_cont` do).
public enum Quantile {
    public static func sorted(_ values: [Double], _ q: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let h = Double(values.count - 1) * q
        let lo = Int(h.rounded(.down))
        let hi = min(values.count - 1, lo + 1)
        return values[lo] + (h - Double(lo)) * (values[hi] - values[lo])
    }
}
