import Foundation

/// The gate no pipeline file can leave out: a run that publishes no enterprise, or fewer than half of the
/// previous published run's, is refused (exit 4) unless an operator accepts it on the record.
///
/// Configured gates can be stricter (`min_enterprises_vs_previous`); this floor is what still holds when a
/// pipeline has no `gates:` block, so that a delivery cut to a tenth of the register is never published
/// and served as the province's enterprises. A previous manifest that cannot be read is not compared here
/// (the configured `…_vs_previous` gates fail on it); the zero check still applies.
public enum EnterpriseFloor {
    public static let gate = "enterprise_floor"
    /// The share of the previous run's enterprises a run must keep.
    public static let minShare = 0.5

    public static func check(enterprises: Int, previous: PreviousRun) -> QualityGates.Result {
        if enterprises == 0 {
            return QualityGates.Result(
                gate: gate, source: "all sources", passed: false,
                detail: "0 enterprises: the delivery registers no enterprise at all", value: 0, limit: 1)
        }
        switch previous {
        case .published(let before):
            let floor = QualityGates.required(minShare, of: before.enterprises)
            return QualityGates.Result(
                gate: gate, source: "all sources", passed: enterprises >= floor,
                detail: "\(enterprises) enterprises, previous run \(before.asOf) had \(before.enterprises) "
                    + "(built-in floor: at least \(QualityGates.percent(minShare)) = \(floor) required)",
                value: Double(enterprises), limit: Double(floor))
        case .nothingPublished:
            return QualityGates.Result(
                gate: gate, source: "all sources", passed: true, detail: "\(enterprises) enterprises (first run: nothing to compare with)",
                value: Double(enterprises), limit: 1)
        case .unreadable(let path, _):
            return QualityGates.Result(
                gate: gate, source: "all sources", passed: true,
                detail: "\(enterprises) enterprises; not compared: \(path) could not be read", value: Double(enterprises), limit: 1)
        }
    }
}
