import Catalog

/// One enterprise's risk result.
public struct RiskResult: Sendable, Equatable {
    public var classIndex: Int
    public var score: Double
    /// Class the score alone gives, before hard rules.
    public var scoreClassIndex: Int
    /// Contributions, largest first: (entry index, points, the categorical value if any).
    public var contributions: [Contribution]
    /// Hard rules that fired, by index.
    public var firedRules: [Int]

    public struct Contribution: Sendable, Equatable {
        public var entry: Int
        public var points: Double
        public var value: Int32?
    }
}

/// Applies a risk model to a shard's tag values.
public struct RiskScorer: Sendable {
    public let model: RiskModel

    public init(model: RiskModel) { self.model = model }

    /// - Parameters:
    ///   - tags: every tag's column for the shard, by tag index.
    ///   - entryColumns: for entries with an expression, its boolean column (by entry index).
    ///   - ruleColumns: each hard rule's condition column.
    /// - Complexity: O(enterprises × scorecard entries).
    public func score(count: Int, tags: [Column], entryColumns: [Int: [Double]], ruleColumns: [[Double]]) -> [RiskResult] {
        var results: [RiskResult] = []
        results.reserveCapacity(count)
        for e in 0..<count {
            var score = 0.0
            var contributions: [RiskResult.Contribution] = []
            for (k, entry) in model.entries.enumerated() {
                var points = 0.0
                var value: Int32?
                switch entry.rule {
                case .whenTrue(let p):
                    let v = entry.tagIndex.map { tags[$0].numbers[e] } ?? entryColumns[k]![e]
                    if v != 0 && !v.isNaN { points = p }
                case .categories(let map):
                    let c = tags[entry.tagIndex!].codes[e]
                    if c >= 0, let p = map[c] {
                        points = p
                        value = c
                    }
                case .ranges(let ranges):
                    let x = tags[entry.tagIndex!].numbers[e]
                    if !x.isNaN, let r = ranges.first(where: { x >= $0.min && x < $0.below }) { points = r.points }
                }
                if points != 0 {
                    score += points
                    contributions.append(.init(entry: k, points: points, value: value))
                }
            }
            // Largest contribution first; ties keep scorecard order, so reasons are stable.
            contributions.sort { $0.points != $1.points ? $0.points > $1.points : $0.entry < $1.entry }
            let scoreClass = model.classFor(score: score)
            var cls = scoreClass
            var fired: [Int] = []
            var floor = 0
            var ceiling = model.classes.count - 1
            for (k, rule) in model.hardRules.enumerated() where ruleColumns[k][e] != 0 {
                fired.append(k)
                if let lo = rule.atLeast { floor = max(floor, lo) }
                if let hi = rule.atMost { ceiling = min(ceiling, hi) }
            }
            // A cap never lowers a class that a floor requires: risk rules win over relief rules.
            cls = max(min(cls, ceiling), floor)
            results.append(
                RiskResult(classIndex: cls, score: score, scoreClassIndex: scoreClass, contributions: contributions, firedRules: fired))
        }
        return results
    }
}
