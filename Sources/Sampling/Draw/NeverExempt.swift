import DigiTagBase

/// "No enterprise is ever exempt" (Shandong): every enterprise in scope keeps a non-zero chance of being drawn.
///
/// Checked twice. When the task file is read, every policy that *could* leave an enterprise in scope with
/// probability 0 is refused unless the task gives `exempt_reason`: a ratio of 0, groups that do not end with
/// `rest: true` (an enterprise matching no group is never drawn), a weighted group without a `floor` (a weight
/// of 0 gives probability 0). When a draw is made, every enterprise's inclusion probability in the ledger is
/// checked against the floor and against 0, so that `min_per_stratum`/`max_per_stratum` or the data cannot
/// break the rule unnoticed either.
extension SamplingTask {
    static func groupProblems(_ groups: [SamplingGroup], floor: Ratio?, exemptReason: String?, at location: SourceLocation) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var seen: [String: SourceLocation] = [:]
        for g in groups {
            if let first = seen[g.id] {
                problems.append(Diagnostic(g.location, "group id '\(g.id)' is used twice (first at \(first))"))
            }
            seen[g.id] = g.location
        }
        for (i, g) in groups.enumerated() where g.isRest && i != groups.count - 1 {
            problems.append(
                Diagnostic(
                    g.location, "group '\(g.id)' is 'rest: true' but not last",
                    hint: "groups are tried in order: the rest group takes everyone else, so it must come last"))
        }
        if let last = groups.last, !last.isRest, exemptReason == nil {
            problems.append(
                Diagnostic(
                    location, "the groups do not end with 'rest: true': an enterprise in scope that matches no group would never be drawn",
                    hint: "add a last group {id: general, rest: true, ratios: …}, or say why in exempt_reason"))
        }
        for g in groups where g.isWeighted && floor == nil && exemptReason == nil {
            problems.append(
                Diagnostic(
                    g.weight!.location, "group '\(g.id)' is weighted but the task has no floor: an enterprise of weight 0 would never be drawn",
                    hint: "add floor: (e.g. 0.5%) to the task, or say why in exempt_reason"))
        }
        return problems
    }
}

/// An enterprise in scope whose inclusion probability breaks the "never exempt" rule.
public struct ExemptionViolation: Sendable, Hashable, CustomStringConvertible {
    public var uscc: String
    public var group: String
    public var stratum: String
    public var probability: Double
    /// The floor it is under, or nil when the problem is a probability of 0.
    public var floor: Double?

    public var description: String {
        let place = stratum.isEmpty ? "in no group" : "stratum \(stratum)"
        if let floor { return "\(uscc) (\(place)) has probability \(probability), under the floor \(floor)" }
        return "\(uscc) (\(place)) has probability 0: it could never be drawn"
    }
}

public enum NeverExempt {
    /// Enterprises in scope with probability 0 (unless the task gives `exempt_reason`) or under the floor.
    ///
    /// The floor is compared with a tolerance of 1e-12: probabilities from the weighted calibration are
    /// computed in floating point.
    public static func violations(_ result: Draw.Result, task: SamplingTask, candidates: [Candidate]) -> [ExemptionViolation] {
        var out: [ExemptionViolation] = []
        let floor = task.floor?.doubleValue
        for entry in result.ledger {
            let p = entry.probability
            let stratum = entry.stratum >= 0 ? result.strata[entry.stratum].key : ""
            let group = entry.group >= 0 ? task.effectiveGroups[entry.group].id : ""
            let uscc = candidates[entry.index].uscc
            if p <= 0 {
                if task.exemptReason == nil { out.append(ExemptionViolation(uscc: uscc, group: group, stratum: stratum, probability: p)) }
            } else if let floor, p < floor - 1e-12 {
                out.append(ExemptionViolation(uscc: uscc, group: group, stratum: stratum, probability: p, floor: floor))
            }
        }
        return out
    }
}
