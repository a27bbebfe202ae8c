import Sampling

/// What a draw comes to, for the person who ran it: how many were drawn per group and per risk class, the
/// strata, and how heavily each department's inspectors are loaded.
///
/// The numbers are added up here so that `digitag sample` only prints them; `audit.json` keeps every stratum.
public struct SampleSummary: Sendable {
    /// One group of the task; a task that declares no groups has one, its whole scope.
    public struct Group: Sendable {
        public var id: String
        public var drawn: Int
        public var size: Int
        public var ratios: GroupRatios
        /// The group's rule; nil for the rest group (everyone else in scope).
        public var rule: String?
        /// The weight expression of a weighted group.
        public var weight: String?
        /// Σ inclusion probabilities: the expected sample size.
        public var expected: Double
        /// Its strata added up per risk class, by class code; empty when a declared group is not stratified by class.
        public var classes: [RiskClass]
    }

    /// One risk class of a group: its strata added up.
    public struct RiskClass: Sendable {
        public var code: String
        public var drawn: Int
        public var size: Int
        /// The class's ratio (every stratum of the class has it).
        public var ratio: Ratio
    }

    /// The inspectors of one department of the task's items.
    public struct Department: Sendable {
        public var name: String
        /// The task's item codes this department inspects.
        public var items: [String]
        /// Inspectors per department per enterprise.
        public var perEnterprise: Int
        public var inspectorsUsed: Int
        /// The most enterprises any one of them visits; 0 when none is used.
        public var highestLoad: Int
    }

    public var drawn: Int
    public var enterprisesInScope: Int
    public var enterprisesInRun: Int
    /// What the ratios ask for in total (each group's quota rounded half up).
    public var totalByRatio: Int
    /// The expected sample size when a group is weighted (its size varies around it); nil otherwise.
    public var expected: Double?
    public var declaresGroups: Bool
    /// In the task's group order.
    public var groups: [Group]
    /// The lowest inclusion probability the task guarantees to every enterprise in scope.
    public var floor: Ratio?
    public var strataCount: Int
    /// The stratum keys of a task without groups (`class`, `county`, …); empty when each group has its own.
    public var strataKeys: [String]
    /// In the order the task's items name the departments.
    public var departments: [Department]

    /// - Complexity: O(strata + inspectors × departments).
    public init(_ d: SampleDraw) {
        let task = d.task
        let effective = task.effectiveGroups
        drawn = d.result.selections.count
        enterprisesInScope = d.enterprisesInScope
        enterprisesInRun = d.enterprisesInRun
        totalByRatio = d.result.totalByRatio
        expected = effective.contains(where: \.isWeighted) ? d.result.groups.reduce(0) { $0 + $1.expected } : nil
        declaresGroups = task.declaresGroups
        groups = d.result.groups.map { total in
            let g = effective[total.group]
            let byClass = task.declaresGroups && !g.strata.contains("class") ? [] : Self.classes(of: total.group, d.result.strata)
            return Group(
                id: g.id, drawn: total.drawn, size: total.size, ratios: g.ratios, rule: g.rule?.expression,
                weight: g.weight?.expression, expected: total.expected, classes: byClass)
        }
        floor = task.floor
        strataCount = d.result.strata.count
        strataKeys = task.declaresGroups ? [] : task.strata
        departments = Assignment.departments(d.items).map { department, items in
            let ids = Set(d.roster.inspectors.filter { $0.department == department }.map(\.id))
            let loads = d.assignment.loads.filter { ids.contains($0.key) }
            return Department(
                name: department, items: items, perEnterprise: task.inspection.perDepartment, inspectorsUsed: loads.count,
                highestLoad: loads.values.max() ?? 0)
        }
    }

    /// The strata of `group` added up per risk class, sorted by class code.
    static func classes(of group: Int, _ strata: [StratumResult]) -> [RiskClass] {
        var byClass: [String: RiskClass] = [:]
        for st in strata where st.group == group {
            byClass[st.riskClass, default: RiskClass(code: st.riskClass, drawn: 0, size: 0, ratio: st.ratio)].add(st)
        }
        return byClass.keys.sorted().map { byClass[$0]! }
    }
}

extension SampleSummary.RiskClass {
    fileprivate mutating func add(_ stratum: StratumResult) {
        drawn += stratum.drawn
        size += stratum.size
    }
}
