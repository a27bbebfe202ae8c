import Catalog
import Engine
import Risk
import RunModel

/// One shard after derive: its tag values, risk results and reason texts, on its way to the writers.
struct EvaluatedShard: Sendable {
    var shard: ShardData
    var values: [Column]
    var risk: [RiskResult]
    /// `ReasonText` of each enterprise, built once on the evaluating thread for classes.csv and the store.
    var reasons: [ReasonText.Texts]
}
