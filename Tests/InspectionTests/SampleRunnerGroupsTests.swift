import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import Inspection
import Sampling
import TestSupport
import Testing

/// Tasks with groups on SampleData: membership, the ledger, the floor, weights, and replacements end to end.
@Suite(.serialized) struct SampleRunnerGroupsTests {
    static let targeted = TestPaths.repo("Pipelines/tasks/targeted-2025.yaml")

    /// A tag column of the fixture run, by USCC.
    static func tag(_ id: String) throws -> [String: Double] {
        let catalog = SampleFixture.definition.catalog
        let t = try #require(catalog.indexByID[id])
        var vocabulary = catalog.vocabulary
        let values = try RunTagColumns.read(run: SampleFixture.run, catalog: catalog, tags: [t], vocabulary: &vocabulary)
        return Dictionary(uniqueKeysWithValues: zip(values.usccs, values.columns[t]!.numbers))
    }

    @Test func everyEnterpriseInScopeIsInExactlyOneGroupTheFirstWhoseRuleHolds() throws {
        let d = try SampleRunner.draw(SampleFixture.request(task: Self.targeted))
        #expect(d.task.groups.map(\.id) == ["capital-no-tax", "unchecked-signals", "general"])
        let capital = try Self.tag("targeted.capital_ge1000_no_tax.1y")
        let signals = try Self.tag("targeted.not_inspected_high_risk_signals")
        var both = 0
        for c in d.candidates {
            let expected = capital[c.uscc] == 1 ? 0 : signals[c.uscc] == 1 ? 1 : 2
            #expect(c.group == expected, "\(c.uscc) is in group \(c.group), its tags put it in \(expected)")
            if capital[c.uscc] == 1 && signals[c.uscc] == 1 { both += 1 }
        }
        #expect(both > 0, "SampleData has enterprises matching both targeted rules: precedence is tested")
        // Complete and exclusive: the ledger lists each enterprise in scope once, with one group.
        let ledger = try SampleFixture.rows(try writeSample(d) + "/ledger.csv")
        #expect(ledger.rows.count == d.enterprisesInScope)
        #expect(Set(ledger.column("uscc")).count == ledger.rows.count)
        #expect(Set(ledger.column("group")) == ["capital-no-tax", "unchecked-signals", "general"])
        #expect(d.result.groups.reduce(0) { $0 + $1.size } == d.enterprisesInScope)
        // The 100% group is drawn in full; the notice holds every drawn enterprise.
        let capitalTotal = d.result.groups[0]
        #expect(capitalTotal.size > 0 && capitalTotal.drawn == capitalTotal.size)
    }

    @Test func ledgerSumsEqualTheExpectedSampleSizes() throws {
        let d = try SampleRunner.draw(SampleFixture.request(task: Self.targeted))
        let dir = try writeSample(d)
        let ledger = try SampleFixture.rows(dir + "/ledger.csv")
        #expect(ledger.header == SampleOutputs.ledgerHeader)
        let audit = try SampleAudit.read(dir + "/audit.json")
        var byGroup: [String: Double] = [:]
        var byStratum: [String: Double] = [:]
        var drawn = 0
        for i in ledger.rows.indices {
            let r = ledger.record(i)
            let p = try #require(Double(r["probability"]!))
            #expect(p >= 0.01 && p <= 1, "\(r["uscc"]!): probability \(p) under the floor")
            byGroup[r["group"]!, default: 0] += p
            byStratum[r["stratum"]!, default: 0] += p
            drawn += Int(r["drawn"]!)!
        }
        let groups = try #require(audit.groups)
        for g in groups { #expect(abs(byGroup[g.id]! - g.expected) < 1e-6, "group \(g.id): Σπ \(byGroup[g.id]!), expected \(g.expected)") }
        for s in audit.strata {
            #expect(abs(byStratum[s.key]! - s.expected!) < 1e-6, "stratum \(s.key)")
            // Fixed-size strata: Σπ is the exact quota (no min/max here), and the drawn count its rounding.
            if s.scale == nil {
                #expect(abs(s.expected! - Double(s.quota)!) < 1e-9)
                #expect(abs(Double(s.drawn) - s.expected!) < 1)
            }
        }
        #expect(abs(byGroup.values.reduce(0, +) - audit.expected) < 1e-6)
        #expect(drawn == audit.drawn && drawn == d.result.selections.count)
        // The weighted group's probabilities are proportional to the score between the floor and 1.
        let w = ledger.rows.indices.map { ledger.record($0) }.filter { $0["group"] == "unchecked-signals" }
        let mid = w.compactMap { r -> Double? in
            let p = Double(r["probability"]!)!
            let weight = Double(r["weight"]!)!
            return p > 0.01 && p < 1 ? p / weight : nil
        }
        #expect(mid.count > 10 && mid.allSatisfy { abs($0 - mid[0]) < 1e-12 })
    }

    @Test func theFloorIsCheckedOnTheDrawAndWeightsMustBeNumbersOfZeroOrMore() throws {
        let capped = SampleFixture.task(
            """
            id: T-CAP
            seed: cap
            items: [annual_report]
            floor: 5%
            groups:
              - id: general
                rest: true
                ratio: 10%
                strata: [class]
                max_per_stratum: 3
            """)
        #expect {
            try SampleRunner.draw(SampleFixture.request(task: capped))
        } throws: { e in
            "\(e)".contains("break 'no enterprise is ever exempt'") && "\(e)".contains("under the floor 0.05")
        }
        let negative = SampleFixture.task(
            """
            id: T-NEG
            seed: neg
            items: [annual_report]
            floor: 1%
            groups:
              - id: all
                rest: true
                ratio: 10%
                weight: score - 30
            """)
        #expect {
            try SampleRunner.draw(SampleFixture.request(task: negative))
        } throws: { e in
            "\(e)".contains("task.yaml:9:13: error: group 'all' weight is negative or infinite for") && "\(e)".contains("max(score, 0)")
        }
        let wrongType = SampleFixture.task(
            """
            id: T-TYPE
            seed: t
            items: [annual_report]
            floor: 1%
            groups:
              - id: shell
                where: reg.registered_capital > 0
                ratio: 10%
              - id: all
                rest: true
                ratio: 10%
                weight: basic.status.operating
            """)
        do {
            _ = try SampleRunner.draw(SampleFixture.request(task: wrongType))
            Issue.record("expected errors")
        } catch let e as DiagnosticsError {
            #expect(e.description.contains("task.yaml:7:12: error: group 'shell' where reads registration fields"), "\(e)")
            #expect(e.description.contains("task.yaml:12:13: error: group 'all' weight must be a number"), "\(e)")
        }
    }

    @Test func anExemptionWithAReasonShowsInTheLedgerWithProbabilityZero() throws {
        let task = SampleFixture.task(
            """
            id: T-EXEMPT
            seed: ex
            items: [annual_report]
            exempt_reason: pilot limited to enterprises with targeted signals
            groups:
              - id: signals
                where: targeted.not_inspected_high_risk_signals
                ratio: 20%
                strata: []
            """)
        let d = try SampleRunner.draw(SampleFixture.request(task: task))
        let ledger = try SampleFixture.rows(try writeSample(d) + "/ledger.csv")
        let exempt = ledger.rows.indices.map { ledger.record($0) }.filter { $0["group"] == "" }
        #expect(!exempt.isEmpty && exempt.allSatisfy { $0["probability"] == "0" && $0["stratum"] == "" && $0["drawn"] == "0" })
        #expect(exempt.count + d.result.groups[0].size == d.enterprisesInScope)
        let audit = try SampleAudit.read(d.output + "/audit.json")
        #expect(audit.exemptReason == "pilot limited to enterprises with targeted signals")
    }

    @Test func replacementsAreReproducibleAndVerified() throws {
        let a = TestPaths.temporaryDirectory("replace-a") + "/s"
        let b = TestPaths.temporaryDirectory("replace-b") + "/s"
        _ = try SampleRunner.run(SampleFixture.request(task: Self.targeted, output: a))
        _ = try SampleRunner.run(SampleFixture.request(task: Self.targeted, output: b, threads: 3, shards: 5))
        let draw = try SampleRunner.draw(SampleFixture.request(task: Self.targeted))
        let general = draw.result.selections.filter { $0.candidate.group == 2 }
        let weighted = draw.result.selections.filter { $0.candidate.group == 1 }
        let requests = [
            ReplacementRequest(uscc: general[0].candidate.uscc, reason: .deregistered),
            ReplacementRequest(uscc: weighted[0].candidate.uscc, reason: .unreachable),
            ReplacementRequest(uscc: general[1].candidate.uscc, reason: .other, note: "merged into its parent company"),
        ]
        var outcomes: [SampleReplacer.Outcome] = []
        for r in requests {
            outcomes.append(try SampleReplacer.replace(directory: a, request: r))
            _ = try SampleReplacer.replace(directory: b, request: r)
        }
        for file in ["plan.csv", "notice.csv", "ledger.csv", "audit.json"] {
            #expect(FileManager.default.contents(atPath: a + "/" + file) != nil)
            if file == "audit.json" { continue }  // its output path differs
            #expect(FileManager.default.contents(atPath: a + "/" + file) == FileManager.default.contents(atPath: b + "/" + file), "\(file)")
        }
        #expect(try SampleVerifier.verify(directory: a).identical)
        // Each replacement is the next ticket of the stratum, and the notice lists replacements, not the replaced.
        for (r, o) in zip(requests, outcomes) {
            let record = o.record
            let leaving = draw.result.selections.first { $0.candidate.uscc == r.uscc }!
            #expect(record.selection.stratum == leaving.stratum && record.selection.candidate.group == leaving.candidate.group)
        }
        let notice = try SampleFixture.rows(a + "/notice.csv")
        let listed = Set(notice.column("统一社会信用代码"))
        for (r, o) in zip(requests, outcomes) {
            #expect(!listed.contains(r.uscc) && listed.contains(o.record.selection.candidate.uscc))
        }
        let plan = try SampleFixture.rows(a + "/plan.csv")
        let replaced = plan.rows.indices.map { plan.record($0) }.filter { $0["status"] == "replaced" }
        #expect(replaced.map { $0["uscc"]! }.sorted() == requests.map(\.uscc).sorted())
        #expect(replaced.allSatisfy { $0["inspectors"] == "" })
        #expect(replaced.contains { $0["reason"] == "other: merged into its parent company" })
        let audit = try SampleAudit.read(a + "/audit.json")
        #expect(audit.replacements.map(\.uscc) == requests.map(\.uscc) && audit.replaced == 3)

        // A recorded replacement edited by hand no longer verifies, and a sample that does not verify is not changed.
        let text = TestPaths.read(a + "/audit.json")
        let edited = text.replacingOccurrences(
            of: "\"replacement\" : \"\(outcomes[0].record.selection.candidate.uscc)\"", with: "\"replacement\" : \"\(general[2].candidate.uscc)\"")
        #expect(edited != text)
        TestPaths.write(edited, to: a, "audit.json")
        let v = try SampleVerifier.verify(directory: a)
        #expect(v.differences.contains { $0.contains("replacement 1 of \(requests[0].uscc)") }, "\(v.differences)")
        let planBefore = FileManager.default.contents(atPath: a + "/plan.csv")
        #expect(throws: SampleNotVerified.self) {
            try SampleReplacer.replace(directory: a, request: ReplacementRequest(uscc: general[3].candidate.uscc, reason: .revoked))
        }
        #expect(FileManager.default.contents(atPath: a + "/plan.csv") == planBefore)
    }

    @Test func aTaskWithoutGroupsKeepsItsStrataAndLotteries() throws {
        let d = try SampleRunner.draw(SampleFixture.request())
        #expect(!d.task.declaresGroups)
        #expect(d.result.strata.allSatisfy { $0.key.split(separator: "/").count == 2 })
        let dir = try writeSample(d)
        let audit = try SampleAudit.read(dir + "/audit.json")
        #expect(audit.groups == nil && audit.classes.map(\.key) == ["A", "B", "C", "D"])
        let plan = try SampleFixture.rows(dir + "/plan.csv")
        #expect(plan.column("group").allSatisfy(\.isEmpty) && plan.column("status").allSatisfy { $0 == "drawn" })
        #expect(plan.rows.indices.allSatisfy { i in
            let r = plan.record(i)
            return Double(r["probability"]!) == SamplingTask.defaultRatios[r["class"]!]!.doubleValue
        })
    }

    @Test func anAuditRecordOfTheEarlierFormatIsNamedAsSuch() throws {
        let dir = TestPaths.temporaryDirectory("old-audit")
        TestPaths.write("{\"format_version\": 1, \"seed\": \"x\"}\n", to: dir, "audit.json")
        #expect {
            try SampleVerifier.verify(directory: dir)
        } throws: { e in
            "\(e)".contains("audit record format 1 was written by an earlier digitag")
        }
    }

    func writeSample(_ d: SampleDraw) throws -> String {
        try SampleOutputs.write(d, to: d.output)
        return d.output
    }
}
