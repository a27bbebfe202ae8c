import Catalog
import DigiTagBase
import Foundation

/// One line of the scorecard: how a tag (or an expression) adds points to an enterprise's score.
public struct ScoreEntry: Sendable {
    public enum Rule: Sendable {
        /// A boolean tag or expression: `points` when true.
        case whenTrue(points: Double)
        /// A categorical tag: points per value (vocabulary code → points).
        case categories([Int32: Double])
        /// A numeric tag: the first range with `min <= x < below` gives its points.
        case ranges([(min: Double, below: Double, points: Double)])
    }

    /// Stable reason code, e.g. `abnormal.listed` or `tax.rating.latest=D`.
    public var id: String
    public var nameZh: String
    public var nameEn: String
    /// The tag read (index in the catalog), or an expression compiled against the catalog.
    public var tagIndex: Int?
    public var expression: PlanNode?
    public var rule: Rule
    public var location: SourceLocation
}

/// A rule that overrides the score: raises the class to at least, or caps it at most, a class.
public struct HardRule: Sendable {
    public var id: String
    public var nameZh: String
    public var nameEn: String
    public var condition: PlanNode
    public var conditionText: String
    public var atLeast: Int?
    public var atMost: Int?
}

/// A risk class and the lowest score that reaches it.
public struct RiskClass: Sendable {
    public var code: String
    public var nameZh: String
    public var nameEn: String
    public var minScore: Double
}

/// The credit-risk model: scorecard, cut-offs, hard rules. Compiled against a tag catalog.
public struct RiskModel: Sendable {
    public var name: String
    public var version: Int
    /// Ordered from lowest to highest risk.
    public var classes: [RiskClass]
    public var entries: [ScoreEntry]
    public var hardRules: [HardRule]
    /// How many reasons each enterprise gets.
    public var reasonCount: Int
    /// SHA-256 of the model file, recorded in the manifest and audit records.
    public var sourceText: String

    public func classIndex(_ code: String) -> Int? { classes.firstIndex { $0.code == code } }

    /// The class a score alone gives.
    public func classFor(score: Double) -> Int {
        var c = 0
        for (i, k) in classes.enumerated() where score >= k.minScore { c = i }
        return c
    }
}
