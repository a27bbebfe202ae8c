/// The Kolmogorov–Smirnov statistic of a score: the largest gap between the cumulative score distributions
/// of positives (a problem found) and negatives, taken at every distinct score (ties move together).
public enum KolmogorovSmirnov {
    /// - Returns: a value in [0, 1]; NaN when either group is empty.
    public static func statistic(scores: [Double], outcomes: [Bool]) -> Double {
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        let positives = Double(outcomes.filter { $0 }.count)
        let negatives = Double(outcomes.count) - positives
        guard positives > 0, negatives > 0 else { return .nan }
        var cumPositive = 0.0
        var cumNegative = 0.0
        var best = 0.0
        TieGroups.forEach(order, scores: scores) { tie in
            for k in tie { if outcomes[order[k]] { cumPositive += 1 } else { cumNegative += 1 } }
            best = max(best, abs(cumPositive / positives - cumNegative / negatives))
        }
        return best
    }
}
