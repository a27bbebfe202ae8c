import Catalog
import Risk

/// How sensitive each tag and each risk reason really is: its own sensitivity, raised to that of every tag
/// it reads, directly or through other tags.
///
/// A derived tag computed from `tax.rating` tells something about `tax.rating`, so a role that may not see
/// the rating may not see the derived tag either. Built once per pipeline from the catalog's dependencies.
public struct TagClearance: Sendable {
    public struct Level: Sendable {
        public let sensitivity: Sensitivity
        /// The tag whose sensitivity this is: the tag itself, or the most sensitive tag it reads.
        public let because: String
    }

    /// By tag id.
    public let tags: [String: Level]
    /// By reason code prefix: a score entry's id or `rule:<id>`.
    public let reasons: [String: Level]

    public init(catalog: TagCatalog, risk: RiskModel) {
        var levels = [Level?](repeating: nil, count: catalog.tags.count)
        // Dependencies come first in the evaluation order, so each tag's inputs are settled before it.
        for i in catalog.evaluationOrder {
            let t = catalog.tags[i]
            var level = Level(sensitivity: t.definition.sensitivity, because: t.id)
            for d in t.dependencies {
                guard let k = catalog.indexByID[d], let l = levels[k] else { continue }
                if l.sensitivity.rank > level.sensitivity.rank { level = l }
            }
            levels[i] = level
        }
        var tags: [String: Level] = [:]
        for (i, t) in catalog.tags.enumerated() { tags[t.id] = levels[i] }
        self.tags = tags
        func strongest(_ indices: some Sequence<Int>) -> Level {
            var level = Level(sensitivity: .public, because: "")
            for k in indices where k < levels.count {
                if let l = levels[k], l.sensitivity.rank > level.sensitivity.rank || level.because.isEmpty { level = l }
            }
            return level
        }
        var reasons: [String: Level] = [:]
        for e in risk.entries {
            var indices = Set<Int>()
            if let k = e.tagIndex { indices.insert(k) }
            if let x = e.expression { indices.formUnion(x.tagIndices) }
            reasons[e.id] = strongest(indices)
        }
        for r in risk.hardRules { reasons["rule:" + r.id] = strongest(r.condition.tagIndices) }
        self.reasons = reasons
    }
}
