import Foundation
import Sampling
import Testing

/// Replacements take the next ticket of the same stratum, reproducibly; their inspectors obey every rule and
/// nobody else's team moves.
@Suite struct ReplacementTests {
    static func fixedDraw() -> (SamplingTask, [Candidate], Draw.Result) {
        let task = Fixtures.task(strata: ["class"], ratios: ["A": 0.05, "B": 0.1, "C": 0.1, "D": 0.2])
        let pop = Fixtures.population(600)
        return (task, pop, Draw.run(task: task, seed: "replace", candidates: pop))
    }

    /// The stratum's enterprises by ticket, as anyone would recompute them with sha256sum.
    static func byTicket(_ stratum: String, _ pop: [Candidate], seed: String = "replace") -> [String] {
        pop.filter { $0.riskClass == stratum }.sorted {
            Ticket(seed: seed, task: "T-1", uscc: $0.uscc) < Ticket(seed: seed, task: "T-1", uscc: $1.uscc)
        }.map(\.uscc)
    }

    @Test func theNextTicketsOfTheStratumReplaceInOrder() throws {
        let (task, pop, r) = Self.fixedDraw()
        let c = r.selections.filter { $0.stratum == "C" }
        let order = Self.byTicket("C", pop)
        #expect(c.map(\.candidate.uscc) == Array(order.prefix(c.count)))
        // Replace two drawn enterprises of C, then the first replacement itself.
        let requests = [
            ReplacementRequest(uscc: c[3].candidate.uscc, reason: .deregistered),
            ReplacementRequest(uscc: c[0].candidate.uscc, reason: .unreachable),
        ]
        var records = try Replacements.apply(requests, to: r, task: task, seed: "replace", candidates: pop)
        #expect(records.map(\.selection.candidate.uscc) == [order[c.count], order[c.count + 1]])
        #expect(records.map(\.selection.rank) == [c.count + 1, c.count + 2])
        #expect(records.allSatisfy { $0.selection.stratum == "C" && $0.selection.probability == c[0].probability })
        let again = requests + [ReplacementRequest(uscc: records[0].selection.candidate.uscc, reason: .revoked)]
        records = try Replacements.apply(again, to: r, task: task, seed: "replace", candidates: pop)
        #expect(records.last!.selection.candidate.uscc == order[c.count + 2])
        // Reproducible: the same requests give the same records, whatever the order of the population.
        var random = TestRandom(3)
        let shuffled = random.shuffle(pop)
        let redrawn = Draw.run(task: task, seed: "replace", candidates: shuffled, threads: 3, shards: 5)
        let same = try Replacements.apply(again, to: redrawn, task: task, seed: "replace", candidates: shuffled)
        #expect(same.map(\.selection.candidate.uscc) == records.map(\.selection.candidate.uscc))
        #expect(same.map(\.selection.rank) == records.map(\.selection.rank))
    }

    @Test func replacementsInOtherStrataDoNotChangeWhoReplacesWhom() throws {
        let (task, pop, r) = Self.fixedDraw()
        let a = r.selections.first { $0.stratum == "A" }!.candidate.uscc
        let d = r.selections.first { $0.stratum == "D" }!.candidate.uscc
        let one = try Replacements.apply(
            [.init(uscc: a, reason: .deregistered), .init(uscc: d, reason: .revoked)], to: r, task: task, seed: "replace", candidates: pop)
        let other = try Replacements.apply(
            [.init(uscc: d, reason: .revoked), .init(uscc: a, reason: .deregistered)], to: r, task: task, seed: "replace", candidates: pop)
        #expect(Set(one.map(\.selection.candidate.uscc)) == Set(other.map(\.selection.candidate.uscc)))
    }

    @Test func weightedGroupsReplaceByTicketOverProbability() throws {
        var task = Fixtures.task(strata: [])
        task.floor = Ratio(text: "1%")!
        task.groups = [
            SamplingGroup(id: "w", ratios: .uniform(Ratio(text: "10%")!), strata: [], weight: Fixtures.clause("w"))
        ]
        let pop = Fixtures.population(300).enumerated().map { i, c in
            var c = c
            c.weight = Double(i % 7)
            return c
        }
        let r = Draw.run(task: task, seed: "wr", candidates: pop)
        let p = Dictionary(uniqueKeysWithValues: r.ledger.map { (pop[$0.index].uscc, $0.probability) })
        let key = { (u: String) in Ticket(seed: "wr", task: "T-1", uscc: u).uniform / p[u]! }
        // Drawn: exactly those with u/π < 1; the replacement: the smallest u/π among the others.
        let drawn = Set(r.selections.map(\.candidate.uscc))
        #expect(drawn == Set(pop.map(\.uscc).filter { key($0) < 1 }))
        let expected = pop.map(\.uscc).filter { !drawn.contains($0) }.min { key($0) < key($1) }!
        let record = try Replacements.apply(
            [.init(uscc: r.selections[0].candidate.uscc, reason: .unreachable)], to: r, task: task, seed: "wr", candidates: pop)
        #expect(record[0].selection.candidate.uscc == expected)
        #expect(record[0].selection.rank == drawn.count + 1)
    }

    @Test func refusesWhatCannotBeReplaced() {
        let (task, pop, r) = Self.fixedDraw()
        let drawn = r.selections[0].candidate.uscc
        let notDrawn = pop.first { u in !r.selections.contains { $0.candidate.uscc == u.uscc } }!.uscc
        for (requests, message, bad) in [
            ([ReplacementRequest(uscc: notDrawn, reason: .deregistered)], "is not drawn in task T-1", true),
            ([.init(uscc: drawn, reason: .deregistered), .init(uscc: drawn, reason: .revoked)], "was already replaced", true),
        ] {
            do {
                _ = try Replacements.apply(requests, to: r, task: task, seed: "replace", candidates: pop)
                Issue.record("expected a failure")
            } catch {
                #expect(error.message.contains(message) && error.isBadRequest == bad, "\(error.message)")
            }
        }
        // A 100% stratum has nobody left.
        let all = Fixtures.task(strata: ["class"], ratios: ["A": 1, "B": 1, "C": 1, "D": 1])
        let full = Draw.run(task: all, seed: "x", candidates: Array(pop.prefix(12)))
        do {
            _ = try Replacements.apply(
                [.init(uscc: full.selections[0].candidate.uscc, reason: .deregistered)], to: full, task: all, seed: "x",
                candidates: Array(pop.prefix(12)))
            Issue.record("expected a failure")
        } catch {
            #expect(!error.isBadRequest && error.message.contains("no enterprise is left in stratum"), "\(error.message)")
        }
    }

    @Test func aReplacementsInspectorsFollowTheRulesAndNoOtherTeamMoves() throws {
        let pop = Fixtures.population(40, counties: ["370102", "370103"])
        let drawn = AssignmentTests.selections(Array(pop.prefix(10)))
        let inspectors = (1...8).map { AssignmentTests.inspector("M\($0)", county: $0 % 2 == 0 ? "370102" : "370103", load: 3) }
        let newcomer = AssignmentTests.selections([pop[20]])[0]
        // The newcomer declared a conflict with M1 and was last inspected by M2.
        var roster = inspectors
        roster[0].conflicts = [newcomer.candidate.uscc]
        let context = AssignmentTests.context(
            roster, rules: InspectionRules(avoidSameCounty: false, maxLoad: 3), history: [newcomer.candidate.uscc: ["M2"]])
        let before = try Assignment.run(drawn, context)
        let leaving = drawn[4].candidate.uscc
        let after = try Assignment.replace(leaving, with: newcomer, in: before, context)
        for s in drawn where s.candidate.uscc != leaving { #expect(after.teams[s.candidate.uscc] == before.teams[s.candidate.uscc]) }
        #expect(after.teams[leaving] == nil)
        let current = drawn.filter { $0.candidate.uscc != leaving } + [newcomer]
        #expect(AssignmentOracle.violations(after, current, context).isEmpty, "\(AssignmentOracle.violations(after, current, context))")
        let team = Set(after.teams[newcomer.candidate.uscc]!.flatMap(\.inspectors))
        #expect(team.count == 2 && !team.contains("M1") && !team.contains("M2"))
        // With every eligible inspector at its cap, it fails (exit 6) instead of moving other teams.
        let tight = AssignmentTests.context(Array(inspectors.prefix(2)), rules: InspectionRules(maxLoad: 1))
        let one = try Assignment.run([drawn[0]], tight)
        #expect(throws: AssignmentFailure.self) { try Assignment.replace("nobody", with: newcomer, in: one, tight) }
    }
}
