/// Class cut-offs for a new score that keep given class shares as closely as whole-number cut-offs can.
///
/// A fitted scorecard's score is lumpy: many enterprises share a few values (every tag at its reference bin
/// scores 0), so "the smallest cut-off whose share does not exceed the target" can land far below the
/// target (a class almost empty) when the next lower cut-off would have been much closer. Instead each
/// cut-off is the whole score whose share of enterprises at or above it is nearest the target share at or
/// above that class (ties to the higher cut-off), chosen in class order and each above the previous one.
public enum ClassCutoffs {
    /// - Parameters:
    ///   - scores: the new score of each enterprise.
    ///   - atLeastShares: for each class above the lowest, in class order, the share of enterprises to put
    ///     in it or higher (non-increasing).
    /// - Returns: the min_score of every class, the lowest class's 0 first.
    public static func closest(scores: [Double], atLeastShares: [Double]) -> [Double] {
        let sorted = scores.sorted()
        let n = Double(max(1, sorted.count))
        // The share of scores ≥ s, by binary search in the sorted scores.
        func share(_ s: Double) -> Double {
            var lo = 0
            var hi = sorted.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if sorted[mid] < s { lo = mid + 1 } else { hi = mid }
            }
            return Double(sorted.count - lo) / n
        }
        // Candidate cut-offs: every whole number where the share changes (the ceiling of each distinct score),
        // and one above the highest score (an empty class).
        var candidates: [Double] = []
        for v in sorted {
            let c = v.rounded(.up)
            if c != candidates.last { candidates.append(c) }
        }
        candidates.append((sorted.last ?? 0).rounded(.down) + 1)
        var cutoffs: [Double] = [0]
        for target in atLeastShares {
            let floor = cutoffs.last! + 1
            var best = max(floor, candidates.last!)
            var bestGap = abs(share(best) - target)
            for c in Set(candidates.map { max($0, floor) }).sorted(by: >) {
                let gap = abs(share(c) - target)
                if gap < bestGap {
                    best = c
                    bestGap = gap
                }
            }
            cutoffs.append(best)
        }
        return cutoffs
    }
}
