/// The area under the ROC curve of a score for a binary outcome, by the Mann–Whitney rank statistic.
///
/// AUC = P(score of a random positive > score of a random negative) + ½ P(equal): ties get their average
/// rank, so a score with few distinct values (a scorecard) is neither flattered nor punished.
///
/// - Complexity: O(n log n) for the sort.
public enum RankAUC {
    /// - Returns: NaN when there is no positive or no negative.
    public static func auc(scores: [Double], outcomes: [Bool]) -> Double {
        precondition(scores.count == outcomes.count)
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var positives = 0.0
        TieGroups.forEach(order, scores: scores) { tie in
            // Ranks i+1 … j+1 share their average.
            let averageRank = Double(tie.lowerBound + tie.upperBound + 2) / 2
            for k in tie where outcomes[order[k]] {
                positiveRankSum += averageRank
                positives += 1
            }
        }
        let negatives = Double(scores.count) - positives
        guard positives > 0, negatives > 0 else { return .nan }
        return (positiveRankSum - positives * (positives + 1) / 2) / (positives * negatives)
    }

    /// The ROC curve: (false-positive rate, true-positive rate) at each distinct score, highest score first,
    /// from (0, 0) to (1, 1).
    public static func rocCurve(scores: [Double], outcomes: [Bool]) -> [(fpr: Double, tpr: Double)] {
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        let positives = Double(outcomes.filter { $0 }.count)
        let negatives = Double(outcomes.count) - positives
        guard positives > 0, negatives > 0 else { return [] }
        var points: [(fpr: Double, tpr: Double)] = [(0, 0)]
        var tp = 0.0
        var fp = 0.0
        TieGroups.forEach(order, scores: scores) { tie in
            for k in tie { if outcomes[order[k]] { tp += 1 } else { fp += 1 } }
            points.append((fp / negatives, tp / positives))
        }
        return points
    }
}
