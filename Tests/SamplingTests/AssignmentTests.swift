import Foundation
import Sampling
import Testing

/// Checks an assignment against the rules independently of the matcher, and decides feasibility with a
/// plain max-flow, so the matcher is judged by a second implementation.
enum AssignmentOracle {
    static func eligible(_ i: Inspector, _ s: Selection, department: String, items: [String], context: Assignment.Context) -> Bool {
        let c = s.candidate
        guard i.department == department, items.allSatisfy(i.items.contains) else { return false }
        let inPool = context.rules.pool.contains { l in
            switch l {
            case .county: return i.county == c.region
            case .city: return i.city == c.city
            case .province: return true
            }
        }
        guard inPool else { return false }
        if i.conflicts.contains(c.uscc) { return false }
        if context.history.lastInspectors[c.uscc]?.contains(i.id) == true { return false }
        if context.rules.avoidSameCounty && i.county == c.region { return false }
        return cap(i, context) > 0
    }

    static func cap(_ i: Inspector, _ context: Assignment.Context) -> Int { min(i.maxLoad, context.rules.maxLoad ?? Int.max) }

    /// Every broken rule of `result`, as text.
    static func violations(_ result: Assignment.Result, _ selections: [Selection], _ context: Assignment.Context) -> [String] {
        var out: [String] = []
        let byID = Dictionary(uniqueKeysWithValues: context.roster.inspectors.map { ($0.id, $0) })
        var load: [String: Int] = [:]
        let departments = Assignment.departments(context.items)
        for s in selections {
            let teams = result.teams[s.candidate.uscc] ?? []
            if teams.map(\.department) != departments.map(\.department) { out.append("\(s.candidate.uscc): teams \(teams.map(\.department))") }
            for (team, (department, items)) in zip(teams, departments) {
                if Set(team.inspectors).count != context.rules.perDepartment || team.inspectors.count != context.rules.perDepartment {
                    out.append("\(s.candidate.uscc): \(team.inspectors.count) distinct inspectors of \(department)")
                }
                for id in team.inspectors {
                    guard let i = byID[id] else {
                        out.append("unknown inspector \(id)")
                        continue
                    }
                    if !eligible(i, s, department: department, items: items, context: context) {
                        out.append("\(s.candidate.uscc): \(id) is not eligible")
                    }
                    load[id, default: 0] += 1
                }
            }
        }
        for (id, l) in load where l > cap(byID[id]!, context) { out.append("\(id): load \(l) over cap") }
        if load.filter({ $0.value > 0 }) != result.loads { out.append("reported loads differ from the teams") }
        return out
    }

    /// True when every selection can get its inspectors in every department (max-flow = demand).
    static func feasible(_ selections: [Selection], _ context: Assignment.Context) -> Bool {
        for (department, items) in Assignment.departments(context.items) {
            let inspectors = context.roster.inspectors
            let e = selections.count
            let m = inspectors.count
            // Nodes: 0 source, 1...e enterprises, e+1...e+m inspectors, e+m+1 sink.
            let sink = e + m + 1
            var capacity = [[Int]](repeating: [Int](repeating: 0, count: sink + 1), count: sink + 1)
            for (k, s) in selections.enumerated() {
                capacity[0][k + 1] = context.rules.perDepartment
                for (j, i) in inspectors.enumerated() where eligible(i, s, department: department, items: items, context: context) {
                    capacity[k + 1][e + 1 + j] = 1
                }
            }
            for (j, i) in inspectors.enumerated() { capacity[e + 1 + j][sink] = max(0, cap(i, context)) }
            var flow = 0
            while true {
                var parent = [Int](repeating: -1, count: sink + 1)
                parent[0] = 0
                var queue = [0]
                var head = 0
                while head < queue.count && parent[sink] < 0 {
                    let u = queue[head]
                    head += 1
                    for v in 0...sink where parent[v] < 0 && capacity[u][v] > 0 {
                        parent[v] = u
                        queue.append(v)
                    }
                }
                if parent[sink] < 0 { break }
                var v = sink
                while v != 0 {
                    let u = parent[v]
                    capacity[u][v] -= 1
                    capacity[v][u] += 1
                    v = u
                }
                flow += 1
            }
            if flow < e * context.rules.perDepartment { return false }
        }
        return true
    }
}

@Suite struct AssignmentTests {
    static let items = [
        InspectionItem(code: "annual_report", nameZh: "年报", nameEn: "", department: "market", legalBasis: ""),
        InspectionItem(code: "food_safety", nameZh: "食品", nameEn: "", department: "market", legalBasis: ""),
        InspectionItem(code: "tax_compliance", nameZh: "纳税", nameEn: "", department: "tax", legalBasis: ""),
    ]

    static func selections(_ candidates: [Candidate], seed: String = "s") -> [Selection] {
        candidates.map { Selection(candidate: $0, stratum: "\($0.riskClass)/\($0.region)", ticket: Ticket(seed: seed, task: "T", uscc: $0.uscc), rank: 1) }
    }

    static func context(
        _ inspectors: [Inspector], items: [InspectionItem] = [items[0]], rules: InspectionRules = InspectionRules(),
        history: [String: Set<String>] = [:], seed: String = "s"
    ) -> Assignment.Context {
        Assignment.Context(
            seed: seed, taskID: "T", items: items, rules: rules, roster: InspectorRoster(path: "test", inspectors: inspectors),
            history: InspectionHistory(path: nil, lastInspectors: history, lastInspected: [:]))
    }

    static func inspector(_ id: String, county: String = "370102", department: String = "market", items: Set<String> = ["annual_report"], load: Int = 10, conflicts: Set<String> = []) -> Inspector {
        Inspector(id: id, name: id, department: department, county: county, city: String(county.prefix(4)), items: items, maxLoad: load, conflicts: conflicts)
    }

    @Test func everyEnterpriseGetsTwoQualifiedInspectorsPerDepartmentOfAJointTask() throws {
        let pop = Fixtures.population(40, counties: ["370102", "370103", "370202"])
        var roster: [Inspector] = []
        for (k, county) in ["370102", "370103", "370202", "370203"].enumerated() {
            for j in 0..<4 {
                roster.append(Self.inspector("M\(k)\(j)", county: county, items: j % 2 == 0 ? ["annual_report", "food_safety"] : ["annual_report"]))
                roster.append(Self.inspector("T\(k)\(j)", county: county, department: "tax", items: ["tax_compliance"]))
            }
        }
        let ctx = Self.context(roster, items: Self.items, rules: InspectionRules(avoidSameCounty: true))
        let sel = Self.selections(pop)
        let r = try Assignment.run(sel, ctx)
        #expect(AssignmentOracle.violations(r, sel, ctx).isEmpty, "\(AssignmentOracle.violations(r, sel, ctx))")
        // Market inspectors must hold both market items of the task.
        for teams in r.teams.values { #expect(teams.map(\.department) == ["market", "tax"]) }
    }

    @Test func workloadIsBalancedWithinAPool() throws {
        let pop = Fixtures.population(60)
        let roster = (0..<10).map { Self.inspector("M\($0)", load: 20) }
        let sel = Self.selections(pop)
        let r = try Assignment.run(sel, Self.context(roster))
        // 120 visits over 10 equally eligible inspectors: lowest load first gives each exactly 12.
        #expect(Set(r.loads.values) == [12])
        #expect(r.swaps == 0)
    }

    @Test func sameResultWhateverTheOrderOfEnterprisesAndDirectory() throws {
        let pop = Fixtures.population(30, counties: ["370102", "370103"])
        let roster = (0..<12).map { Self.inspector("M\($0)", county: $0 % 2 == 0 ? "370102" : "370103", load: 6) }
        let a = try Assignment.run(Self.selections(pop), Self.context(roster))
        var random = TestRandom(3)
        let b = try Assignment.run(random.shuffle(Self.selections(pop)), Self.context(random.shuffle(roster)))
        #expect(a.teams == b.teams)
    }

    @Test func nearerPoolLevelIsPreferred() throws {
        let pop = Fixtures.population(4, counties: ["370102"])
        let roster = [Self.inspector("LOCAL1"), Self.inspector("LOCAL2"), Self.inspector("FAR1", county: "370202"), Self.inspector("FAR2", county: "370202")]
        let r = try Assignment.run(Self.selections(pop), Self.context(roster, rules: InspectionRules(pool: [.city, .province])))
        for teams in r.teams.values { #expect(teams[0].inspectors == ["LOCAL1", "LOCAL2"]) }
    }

    @Test func failsNamingTheEnterpriseAndRuleWhenTooFewQualify() {
        let pop = Fixtures.population(3)
        let roster = [Self.inspector("M1"), Self.inspector("M2", items: ["pricing"]), Self.inspector("T1", department: "tax", items: ["tax_compliance"])]
        #expect {
            try Assignment.run(Self.selections(pop), Self.context(roster, rules: InspectionRules(pool: [.province])))
        } throws: { error in
            guard let f = error as? AssignmentFailure else { return false }
            // Every enterprise is reported, not only the first.
            return f.problems.count == 3 && f.problems.allSatisfy { $0.rule == .qualification && $0.department == "market" }
                && Set(f.problems.map(\.uscc)) == Set(pop.map(\.uscc)) && f.description.contains("needs 2 market inspectors, only 1 eligible")
        }
    }

    @Test func failsOnAvoidanceWithTheReasons() {
        let pop = Fixtures.population(2)
        let target = pop[1].uscc
        let roster = [
            Self.inspector("M1"), Self.inspector("M2", conflicts: [target]), Self.inspector("M3"),
        ]
        // M3 inspected the second enterprise last time; M2 declared a conflict with it: only M1 is left.
        #expect {
            try Assignment.run(Self.selections(pop), Self.context(roster, history: [target: ["M3"]]))
        } throws: { error in
            guard let f = error as? AssignmentFailure, f.problems.count == 1, let p = f.problems.first else { return false }
            return p.uscc == target && p.rule == .avoidance && p.message.contains("1 declared a conflict")
                && p.message.contains("1 inspected it last time")
        }
    }

    @Test func sameCountyAvoidanceWithACountyOnlyPoolIsImpossible() {
        let pop = Fixtures.population(1)
        let roster = [Self.inspector("M1"), Self.inspector("M2"), Self.inspector("M3", county: "370103")]
        #expect(throws: AssignmentFailure.self) {
            try Assignment.run(Self.selections(pop), Self.context(roster, rules: InspectionRules(pool: [.city], avoidSameCounty: true)))
        }
    }

    @Test func failsOnWorkloadCapsNamingTheEnterprise() {
        // Three enterprises need 2 inspectors each: 6 visits, but the two inspectors can make 2 + 2.
        let pop = Fixtures.population(3)
        let roster = [Self.inspector("M1", load: 2), Self.inspector("M2", load: 5)]
        #expect {
            try Assignment.run(Self.selections(pop), Self.context(roster, rules: InspectionRules(maxLoad: 2)))
        } throws: { error in
            guard let f = error as? AssignmentFailure, let p = f.problems.first else { return false }
            let last = Assignment.serviceOrder(Self.selections(pop)).last!.candidate.uscc
            return f.problems.count == 1 && p.rule == .workload && p.uscc == last && p.message.contains("maximum load")
        }
    }

    @Test func swapsFindAnAssignmentGreedyAloneWouldMiss() throws {
        // The second enterprise in ticket order may use only A and B; the first may use A, B, C, D; all caps 1.
        // Whenever the first takes A or B, only a swap can serve the second.
        let pop = Fixtures.population(2)
        var swapsSeen = 0
        for s in 0..<40 {
            let seed = "swap-\(s)"
            let order = Assignment.serviceOrder(Self.selections(pop, seed: seed))
            let second = order[1].candidate.uscc
            let roster = ["A", "B", "C", "D"].map { Self.inspector($0, load: 1, conflicts: ["C", "D"].contains($0) ? [second] : []) }
            let ctx = Self.context(roster, seed: seed)
            let sel = Self.selections(pop, seed: seed)
            let r = try Assignment.run(sel, ctx)
            #expect(AssignmentOracle.violations(r, sel, ctx).isEmpty)
            #expect(r.teams[second]?.first?.inspectors == ["A", "B"])
            swapsSeen += r.swaps
        }
        #expect(swapsSeen > 0)
    }

    /// Random adversarial directories: few inspectors, tight caps, many conflicts, last inspectors, same-county
    /// avoidance. The matcher must never break a rule, and must fail exactly when a max-flow says no
    /// assignment exists.
    @Test func adversarialDirectoriesNeverBreakARuleAndFailOnlyWhenImpossible() {
        var random = TestRandom(2024)
        var succeeded = 0
        var failed = 0
        for round in 0..<150 {
            let counties = ["370102", "370103", "370202"]
            let pop = Fixtures.population(random.int(1...12), counties: counties)
            let sel = Self.selections(pop, seed: "adv-\(round)")
            var roster: [Inspector] = []
            for k in 0..<random.int(3...12) {
                let dept = random.chance(0.7) ? "market" : "tax"
                var conflicts: Set<String> = []
                for c in pop where random.chance(0.1) { conflicts.insert(c.uscc) }
                roster.append(
                    Inspector(
                        id: "I\(k)", name: "I\(k)", department: dept, county: random.pick(counties + ["370203"]),
                        city: "", items: dept == "market" ? (random.chance(0.8) ? ["annual_report", "food_safety"] : ["annual_report"]) : ["tax_compliance"],
                        maxLoad: random.int(0...6), conflicts: conflicts))
                roster[roster.count - 1].city = String(roster[roster.count - 1].county.prefix(4))
            }
            var history: [String: Set<String>] = [:]
            for c in pop where random.chance(0.2) { history[c.uscc] = [random.pick(roster).id] }
            let pools: [[PoolLevel]] = [[.county, .city, .province], [.city, .province], [.province], [.city]]
            let rules = InspectionRules(
                pool: random.pick(pools), avoidSameCounty: random.chance(0.4), maxLoad: random.chance(0.3) ? random.int(1...3) : nil)
            let items = random.chance(0.5) ? [Self.items[0]] : random.chance(0.5) ? Self.items : [Self.items[0], Self.items[2]]
            let ctx = Self.context(roster, items: items, rules: rules, history: history, seed: "adv-\(round)")
            let feasible = AssignmentOracle.feasible(sel, ctx)
            do {
                let r = try Assignment.run(sel, ctx)
                #expect(AssignmentOracle.violations(r, sel, ctx).isEmpty, "round \(round): \(AssignmentOracle.violations(r, sel, ctx))")
                #expect(feasible, "round \(round): assigned although max-flow says impossible")
                succeeded += 1
            } catch {
                #expect(!feasible, "round \(round): failed although an assignment exists: \(error)")
                #expect(!error.problems.isEmpty)
                failed += 1
            }
        }
        // The random instances must exercise both outcomes.
        #expect(succeeded > 20 && failed > 20, "succeeded \(succeeded), failed \(failed)")
    }
}
