import DigiTagBase
/// The second "random" of 双随机: inspectors matched to the drawn enterprises.
///
/// For every department whose items the task inspects (several departments = a joint task: one visit,
/// one team per department), every drawn enterprise gets `perDepartment` distinct inspectors who are:
/// - of that department and qualified for every item of the task in that department;
/// - in the task's pool for the enterprise (its county, its city, or the province, nearest level first);
/// - not avoided (回避): no declared conflict with the enterprise, not the inspector of its last inspection,
///   not based in its county when the task says `avoid_same_county`;
/// - under their workload cap: `min(max_load, task's max_load)` visits in the task.
///
/// Enterprises are served in ticket order (lowest first, ties by USCC). For each one, eligible inspectors
/// with spare capacity are ranked by (pool level, current load, `SHA-256(seed ␟ task ␟ USCC ␟ inspector
/// id)`, inspector id) and the first ones taken: nearer inspectors first, then the least loaded, then the
/// keyed hash — balanced and random, and recomputable by anyone. Only when every eligible inspector is at
/// their cap does it look for a swap: an earlier enterprise gives up one of them for another eligible
/// inspector with spare capacity (a shortest augmenting path, explored in the same ranking order). If no
/// swap exists either, no assignment can satisfy the rules at all, and it fails naming the enterprise,
/// the department and the rule; it never assigns fewer.
public enum Assignment {
    /// One department's inspectors on one visit.
    public struct Team: Sendable, Hashable {
        public var department: String
        public var items: [String]
        /// Inspector ids, sorted.
        public var inspectors: [String]
    }

    public struct Result: Sendable {
        /// By USCC: one team per department, in the order the task's items name the departments.
        public var teams: [String: [Team]]
        /// Visits per inspector id (only inspectors with at least one).
        public var loads: [String: Int]
        /// How many times an earlier enterprise gave up an inspector to make room (0 unless caps bind).
        public var swaps: Int
    }

    public struct Context: Sendable {
        public var seed: String
        public var taskID: String
        public var items: [InspectionItem]
        public var rules: InspectionRules
        public var roster: InspectorRoster
        public var history: InspectionHistory

        public init(
            seed: String, taskID: String, items: [InspectionItem], rules: InspectionRules, roster: InspectorRoster,
            history: InspectionHistory
        ) {
            self.seed = seed
            self.taskID = taskID
            self.items = items
            self.rules = rules
            self.roster = roster
            self.history = history
        }
    }

    /// The departments of `items`, in order of first appearance, each with its item codes.
    public static func departments(_ items: [InspectionItem]) -> [(department: String, items: [String])] {
        var out: [(String, [String])] = []
        for item in items {
            if let i = out.firstIndex(where: { $0.0 == item.department }) { out[i].1.append(item.code) } else {
                out.append((item.department, [item.code]))
            }
        }
        return out
    }

    /// The order enterprises are served in: by ticket, ties by USCC.
    public static func serviceOrder(_ selections: [Selection]) -> [Selection] {
        selections.sorted { $0.ticket != $1.ticket ? $0.ticket < $1.ticket : $0.candidate.uscc < $1.candidate.uscc }
    }

    /// Assigns inspectors to every selection, or throws every enterprise the rules cannot serve.
    public static func run(_ selections: [Selection], _ context: Context) throws(AssignmentFailure) -> Result {
        let order = serviceOrder(selections)
        var teams: [String: [Team]] = [:]
        var loads: [String: Int] = [:]
        var swaps = 0
        var problems: [AssignmentProblem] = []
        for (department, items) in departments(context.items) {
            var matcher = DepartmentMatcher(department: department, items: items, enterprises: order, context: context)
            let found = matcher.checkEligibility()
            if !found.isEmpty {
                problems += found
                continue
            }
            do {
                try matcher.assign()
            } catch {
                problems.append(error)
                continue
            }
            swaps += matcher.swaps
            for (e, chosen) in matcher.assigned.enumerated() {
                let ids = chosen.map { context.roster.inspectors[$0].id }.sorted()
                teams[order[e].candidate.uscc, default: []].append(Team(department: department, items: items, inspectors: ids))
            }
            for (i, load) in matcher.load.enumerated() where load > 0 { loads[context.roster.inspectors[i].id] = load }
        }
        if !problems.isEmpty { throw AssignmentFailure(problems: problems) }
        return Result(teams: teams, loads: loads, swaps: swaps)
    }
}

/// A rule that stopped an enterprise from getting its inspectors.
public struct AssignmentProblem: DigitagError, Sendable, Hashable {
    public var exitStatus: ExitStatus { .assignmentImpossible }
    public enum Rule: String, Sendable {
        /// Too few inspectors of the department qualified for the task's items in the pool.
        case qualification
        /// Too few left after avoidance (conflicts, last inspector, same county).
        case avoidance
        /// Enough eligible inspectors, but their workload caps are used up.
        case workload
    }

    public var uscc: String
    public var stratum: String
    public var department: String
    public var rule: Rule
    public var message: String

    public var description: String { "\(uscc) (stratum \(stratum)), \(department): \(rule.rawValue): \(message)" }
}

/// Inspectors could not be assigned under the task's rules: every enterprise that blocked, with the rule.
public struct AssignmentFailure: DigitagError, Sendable {
    public var problems: [AssignmentProblem]
    public var exitStatus: ExitStatus { .assignmentImpossible }
    public var report: [String] {
        problems.map { "digitag: cannot assign inspectors: \($0)" } + [
            "digitag: \(problems.count) problem\(problems.count == 1 ? "" : "s"): the task's inspector rules cannot be met; "
                + "nothing was written"
        ]
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

/// The matching of one department's inspectors to all drawn enterprises (a capacitated bipartite matching).
struct DepartmentMatcher {
    let department: String
    let items: [String]
    let enterprises: [Selection]
    let context: Context
    typealias Context = Assignment.Context

    let n: Int
    /// Roster indices of the department's inspectors qualified for every item.
    let qualified: [Int]
    let qualifiedSet: Set<Int>
    let byCounty: [String: [Int]]
    let byCity: [String: [Int]]
    /// USCC → roster indices that declared a conflict with it (qualified ones only).
    let conflictsOf: [String: [Int]]
    let indexOfID: [String: Int]
    let cap: [Int]
    var load: [Int]
    var assigned: [[Int]]
    /// Roster index → enterprises (indices into `enterprises`) it visits, in the order it got them.
    var visits: [[Int]]
    var swaps = 0

    init(department: String, items: [String], enterprises: [Selection], context: Context) {
        self.department = department
        self.items = items
        self.enterprises = enterprises
        self.context = context
        n = context.rules.perDepartment
        let roster = context.roster.inspectors
        qualified = roster.indices.filter { roster[$0].department == department && items.allSatisfy(roster[$0].items.contains) }
        qualifiedSet = Set(qualified)
        var byCounty: [String: [Int]] = [:]
        var byCity: [String: [Int]] = [:]
        var conflicts: [String: [Int]] = [:]
        for i in qualified {
            byCounty[roster[i].county, default: []].append(i)
            byCity[roster[i].city, default: []].append(i)
            for u in roster[i].conflicts { conflicts[u, default: []].append(i) }
        }
        self.byCounty = byCounty
        self.byCity = byCity
        conflictsOf = conflicts
        indexOfID = Dictionary(roster.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        cap = roster.map { min($0.maxLoad, context.rules.maxLoad ?? Int.max) }
        load = Array(repeating: 0, count: roster.count)
        assigned = Array(repeating: [], count: enterprises.count)
        visits = Array(repeating: [], count: roster.count)
    }

    // MARK: Eligibility

    /// The pool level (index into the task's pool) of inspector `i` for enterprise `e`, or nil outside the pool.
    func level(_ i: Int, _ e: Int) -> Int? {
        let inspector = context.roster.inspectors[i]
        let c = enterprises[e].candidate
        for (k, l) in context.rules.pool.enumerated() {
            switch l {
            case .county: if inspector.county == c.region { return k }
            case .city: if inspector.city == c.city { return k }
            case .province: return k
            }
        }
        return nil
    }

    /// The reason `i` must be avoided for `e`, if any.
    func avoidance(_ i: Int, _ e: Int) -> String? {
        let inspector = context.roster.inspectors[i]
        let c = enterprises[e].candidate
        if inspector.conflicts.contains(c.uscc) { return "declared a conflict" }
        if context.history.lastInspectors[c.uscc]?.contains(inspector.id) == true { return "inspected it last time" }
        if context.rules.avoidSameCounty && inspector.county == c.region { return "based in its county" }
        return nil
    }

    /// Qualified inspectors in the widest pool level for `e` (nearer levels are subsets of it).
    func poolMembers(_ e: Int) -> [Int] {
        let c = enterprises[e].candidate
        switch context.rules.pool.last ?? .city {
        case .province: return qualified
        case .city: return byCity[c.city] ?? []
        case .county: return byCounty[c.region] ?? []
        }
    }

    /// The pool of `e` in words: "city 3701, then the province".
    func poolText(_ e: Int) -> String {
        let c = enterprises[e].candidate
        return context.rules.pool.map { l in
            switch l {
            case .county: return "county \(c.region)"
            case .city: return "city \(c.city)"
            case .province: return "the province"
            }
        }.joined(separator: ", then ")
    }

    /// Every enterprise with fewer than `n` eligible inspectors (before workload), with the reason.
    func checkEligibility() -> [AssignmentProblem] {
        var problems: [AssignmentProblem] = []
        let roster = context.roster.inspectors
        let allOfDepartment = roster.filter { $0.department == department }
        for e in enterprises.indices {
            let c = enterprises[e].candidate
            // Only inspectors that could be avoided need a closer look: conflicts, last inspectors, the county.
            var suspects = Set(conflictsOf[c.uscc] ?? [])
            for id in context.history.lastInspectors[c.uscc] ?? [] {
                if let i = indexOfID[id], qualifiedSet.contains(i) { suspects.insert(i) }
            }
            if context.rules.avoidSameCounty { suspects.formUnion(byCounty[c.region] ?? []) }
            let members = poolMembers(e)
            var avoidedBy: [String: Int] = [:]
            var zeroCap = 0
            var avoided = 0
            for i in suspects where level(i, e) != nil {
                if let why = avoidance(i, e) {
                    avoidedBy[why, default: 0] += 1
                    avoided += 1
                }
            }
            for i in members where cap[i] <= 0 && avoidance(i, e) == nil { zeroCap += 1 }
            let eligible = members.count - avoided - zeroCap
            guard eligible < n else { continue }
            let inPool = allOfDepartment.filter { i in
                context.rules.pool.contains { l in
                    switch l {
                    case .county: return i.county == c.region
                    case .city: return i.city == c.city
                    case .province: return true
                    }
                }
            }.count
            let rule: AssignmentProblem.Rule =
                members.count < n ? .qualification : members.count - avoided < n ? .avoidance : .workload
            var detail = "\(inPool) \(department) inspector\(inPool == 1 ? "" : "s") in the pool (\(poolText(e))), "
            detail += "\(members.count) qualified for \(items.joined(separator: " + "))"
            if !avoidedBy.isEmpty {
                let reasons = avoidedBy.keys.sorted().map { "\(avoidedBy[$0]!) \($0)" }.joined(separator: ", ")
                detail += ", \(avoided) avoided (\(reasons))"
            }
            if zeroCap > 0 { detail += ", \(zeroCap) with a workload cap of 0" }
            problems.append(
                AssignmentProblem(
                    uscc: c.uscc, stratum: enterprises[e].stratum, department: department, rule: rule,
                    message: "needs \(n) \(department) inspectors, only \(max(0, eligible)) eligible: \(detail)"))
        }
        return problems
    }

    // MARK: Matching

    /// Inspectors that must be avoided for `e` (any department; only membership is asked).
    func avoided(_ e: Int) -> Set<Int> {
        let c = enterprises[e].candidate
        var out = Set(conflictsOf[c.uscc] ?? [])
        for id in context.history.lastInspectors[c.uscc] ?? [] { if let i = indexOfID[id] { out.insert(i) } }
        if context.rules.avoidSameCounty { out.formUnion(byCounty[c.region] ?? []) }
        return out
    }

    /// Eligible inspectors of `e` in ranking order (level, load, hash, id), restricted by `include`;
    /// stops once `limit` are found.
    func ranked(_ e: Int, limit: Int, include: (Int) -> Bool) -> [Int] {
        var out: [Int] = []
        var seenNearer = Set<Int>()
        let c = enterprises[e].candidate
        let avoid = avoided(e)
        let prefix = Ticket.prefix([context.seed, context.taskID, c.uscc])
        let levels = context.rules.pool
        for (k, l) in levels.enumerated() where out.count < limit {
            let members: [Int]
            switch l {
            case .county: members = byCounty[c.region] ?? []
            case .city: members = byCity[c.city] ?? []
            case .province: members = qualified
            }
            var candidates: [Int] = []
            for i in members where cap[i] > 0 && !avoid.contains(i) && !(k > 0 && seenNearer.contains(i)) && include(i) {
                candidates.append(i)
            }
            if k + 1 < levels.count { seenNearer.formUnion(members) }
            // Least loaded first; hash only the load groups needed.
            let byLoad = Dictionary(grouping: candidates) { load[$0] }
            for l in byLoad.keys.sorted() where out.count < limit {
                let group = byLoad[l]!.map { ($0, Ticket(extending: prefix, with: context.roster.inspectors[$0].id)) }.sorted {
                    $0.1 != $1.1 ? $0.1 < $1.1 : context.roster.inspectors[$0.0].id < context.roster.inspectors[$1.0].id
                }
                out += group.prefix(limit - out.count).map(\.0)
            }
        }
        return out
    }

    mutating func give(_ i: Int, to e: Int) {
        assigned[e].append(i)
        visits[i].append(e)
        load[i] += 1
    }

    mutating func assign() throws(AssignmentProblem) {
        for e in enterprises.indices {
            let picks = ranked(e, limit: n) { i in self.load[i] < self.cap[i] }
            for i in picks { give(i, to: e) }
            while assigned[e].count < n {
                try augment(e)
            }
        }
    }

    /// Finds a shortest chain of swaps that frees a slot for `e`, or fails with a workload explanation.
    mutating func augment(_ e: Int) throws(AssignmentProblem) {
        // BFS over inspectors: parent[j] = (enterprise giving up `from`, taking j; `from`).
        var parent: [Int: (enterprise: Int, from: Int)] = [:]
        var seen = Set<Int>()
        var seenEnterprises: Set<Int> = [e]
        var queue: [Int] = []
        let starts = ranked(e, limit: Int.max) { i in !self.assigned[e].contains(i) }
        for i in starts where seen.insert(i).inserted { queue.append(i) }
        if let spare = starts.first(where: { load[$0] < cap[$0] }) {
            give(spare, to: e)
            return
        }
        var head = 0
        var found: Int?
        search: while head < queue.count {
            let i = queue[head]
            head += 1
            for e2 in visits[i] where !seenEnterprises.contains(e2) {
                seenEnterprises.insert(e2)
                for j in ranked(e2, limit: Int.max, include: { j in !self.assigned[e2].contains(j) }) where !seen.contains(j) {
                    seen.insert(j)
                    parent[j] = (e2, i)
                    if load[j] < cap[j] {
                        found = j
                        break search
                    }
                    queue.append(j)
                }
            }
        }
        guard let end = found else { throw workloadProblem(e, starts: starts, enterprises: seenEnterprises) }
        // Walk back: each enterprise on the chain gives up one inspector and takes the next; the chain's end
        // gains one visit, every other inspector on it keeps its load.
        var j = end
        while let (e2, from) = parent[j] {
            assigned[e2][assigned[e2].firstIndex(of: from)!] = j
            visits[j].append(e2)
            visits[from].removeAll { $0 == e2 }
            j = from
            swaps += 1
        }
        assigned[e].append(j)
        visits[j].append(e)
        load[end] += 1
    }

    func workloadProblem(_ e: Int, starts: [Int], enterprises others: Set<Int>) -> AssignmentProblem {
        let c = enterprises[e].candidate
        let roster = context.roster.inspectors
        let shown = starts.prefix(8).map { "\(roster[$0].id) \(load[$0])/\(cap[$0])" }.joined(separator: ", ")
        let more = starts.count > 8 ? ", …" : ""
        let tried = others.count - 1
        return AssignmentProblem(
            uscc: c.uscc, stratum: enterprises[e].stratum, department: department, rule: .workload,
            message:
                "needs \(n) \(department) inspectors, only \(assigned[e].count) assignable under the workload caps: "
                + "the \(starts.count) eligible inspector\(starts.count == 1 ? "" : "s") it does not have yet "
                + "\(starts.count == 1 ? "is" : "are all") at the maximum load (\(shown)\(more)), and none of the \(tried) "
                + "drawn enterprise\(tried == 1 ? "" : "s") they could be taken from can swap to an eligible inspector with spare capacity")
    }
}
