/// Inspectors for a replacement, leaving every other enterprise's team as it is.
///
/// Teams are told of their visits when the plan is made, so a replacement must not reshuffle them: the
/// replaced enterprise's visits are released, and the replacement's inspectors are chosen exactly as in the
/// draw (same eligibility, avoidance and caps; ranked by pool level, current load, the keyed hash, inspector
/// id) given everyone else's current loads. There are no swaps: if the inspectors with spare capacity cannot
/// serve it, it fails (exit 6) and the operator widens the pool or raises a cap.
extension Assignment {
    public static func replace(
        _ leaving: String, with selection: Selection, in result: Result, _ context: Context
    ) throws(AssignmentFailure) -> Result {
        var teams = result.teams
        var loads = result.loads
        for team in teams.removeValue(forKey: leaving) ?? [] {
            for id in team.inspectors {
                loads[id, default: 0] -= 1
                if loads[id] == 0 { loads[id] = nil }
            }
        }
        var problems: [AssignmentProblem] = []
        var newTeams: [Team] = []
        for (department, items) in departments(context.items) {
            var matcher = DepartmentMatcher(department: department, items: items, enterprises: [selection], context: context)
            for (i, inspector) in context.roster.inspectors.enumerated() { matcher.load[i] = loads[inspector.id] ?? 0 }
            let found = matcher.checkEligibility()
            if !found.isEmpty {
                problems += found
                continue
            }
            let picks = matcher.ranked(0, limit: matcher.n) { i in matcher.load[i] < matcher.cap[i] }
            guard picks.count == matcher.n else {
                problems.append(
                    AssignmentProblem(
                        uscc: selection.candidate.uscc, stratum: selection.stratum, department: department, rule: .workload,
                        message:
                            "needs \(matcher.n) \(department) inspectors, only \(picks.count) eligible with spare capacity; a replacement "
                            + "does not take inspectors from other enterprises' teams"))
                continue
            }
            let ids = picks.map { context.roster.inspectors[$0].id }.sorted()
            for id in ids { loads[id, default: 0] += 1 }
            newTeams.append(Team(department: department, items: items, inspectors: ids))
        }
        if !problems.isEmpty { throw AssignmentFailure(problems: problems) }
        teams[selection.candidate.uscc] = newTeams
        return Result(teams: teams, loads: loads, swaps: result.swaps)
    }
}
