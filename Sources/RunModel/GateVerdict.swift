import Engine
import Foundation

/// Every gate of a night — the pipeline's and the built-in `EnterpriseFloor` — with the operator's
/// acceptances applied: what the run records, and whether it may publish.
public struct GateVerdict: Sendable {
    /// Every gate checked, in order: the pipeline's gates by source, then the enterprise gates and the floor.
    /// A failure an operator accepted carries its `accepted` record.
    public var results: [QualityGates.Result]
    /// Acceptances that matched no failed gate: said in the log, not an error (the gate passed tonight).
    public var unused: [GateAcceptance]

    /// Failed and not accepted: any one of these stops the run.
    public var refused: [QualityGates.Result] { results.filter(\.refuses) }
    /// Failed and accepted on the record.
    public var accepted: [QualityGates.Result] { results.filter { $0.accepted != nil } }

    public init(gates: QualityGates, stats: [SourceStats], enterprises: Int, previous: PreviousRun, accepting: [GateAcceptance]) {
        var results = gates.check(stats, enterprises: enterprises, previous: previous)
        results.append(EnterpriseFloor.check(enterprises: enterprises, previous: previous))
        var used = Set<Int>()
        for i in results.indices where !results[i].passed {
            if let k = accepting.firstIndex(where: { $0.matches(results[i]) }) {
                results[i].accepted = GateAcceptance.Record(reason: accepting[k].reason, by: accepting[k].by)
                used.insert(k)
            }
        }
        self.results = results
        unused = accepting.indices.filter { !used.contains($0) }.map { accepting[$0] }
    }
}
