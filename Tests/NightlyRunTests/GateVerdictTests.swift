import DigiTagBase
@testable import Engine
import Foundation
@testable import RunModel
import TestSupport
import Testing

/// The gates as pure functions: counts and bounds worked out by hand, acceptances matched by gate and source.
@Suite struct GateVerdictTests {
    static func stats(_ source: String, read: Int, rejected: Int = 0, extra: [String] = []) -> SourceStats {
        SourceStats(
            source: source,
            files: [
                FileStats(
                    path: "\(source).csv", bytes: 1, sha256: "x", rowsRead: read, rowsAccepted: read - rejected, rowsRejected: rejected,
                    rowsAfterAsOf: 0, extraColumns: extra)
            ])
    }

    static func previous(enterprises: Int, sources: [SourceStats] = []) -> PreviousRun {
        .published(
            Manifest(
                pipeline: "p", pipelineHash: "h", asOf: "2024-12-30", input: "in", enterprises: enterprises, enterprisesAfterAsOf: 0, tags: 1,
                riskModel: "m", classCounts: [:], sources: sources, outputs: [], threads: 1, shards: 1, timings: [:]))
    }

    @Test func theShippedPipelineDeclaresTheDefaultGates() throws {
        let gates = try PipelineDefinition.load(TestPaths.repo("Pipelines/shandong.yaml")).gates
        #expect(gates.defaultMaxRejectRate == 0.05)
        #expect(gates.maxRejectRate.isEmpty)
        #expect(gates.minRowsVsPrevious == 0.9)
        #expect(gates.minEnterprisesVsPrevious == 0.95)
        #expect(gates.failOnSchemaDrift)
    }

    @Test func enterprisesMayNotDropBelowTheConfiguredShareOfThePreviousRun() {
        var gates = QualityGates()
        gates.minEnterprisesVsPrevious = 0.95
        // 95% of 1000 is 950: 950 passes, 949 fails; the result says by how much.
        let pass = gates.check([], enterprises: 950, previous: Self.previous(enterprises: 1000))
        #expect(pass.map(\.passed) == [true])
        let fail = gates.check([], enterprises: 949, previous: Self.previous(enterprises: 1000))
        #expect(fail.map(\.gate) == ["min_enterprises_vs_previous"])
        #expect(fail[0].passed == false && fail[0].value == 949 && fail[0].limit == 950)
        #expect(fail[0].detail == "949 enterprises, previous run 1000 (at least 95% = 950 required)")
        // Nothing published yet: nothing to compare with, no result.
        #expect(gates.check([], enterprises: 3, previous: .nothingPublished).isEmpty)
        // An unreadable previous manifest fails the gate rather than comparing with nothing.
        let unreadable = gates.check([], enterprises: 950, previous: .unreadable(manifest: "runs/current/manifest.json", reason: "gone"))
        #expect(unreadable.map(\.gate) == ["min_enterprises_vs_previous"] && unreadable[0].passed == false)
    }

    @Test func rowCountsRequiredAreWholeRowsRoundedUp() {
        // 90% of 747 is 672.3: 672 rows are not enough. 90% of 2010 is exactly 1809 (not 1810 from 0.9's binary error).
        #expect(QualityGates.required(0.9, of: 747) == 673)
        #expect(QualityGates.required(0.9, of: 2010) == 1809)
        #expect(QualityGates.required(0.5, of: 1991) == 996)
        var gates = QualityGates()
        gates.minRowsVsPrevious = 0.9
        let r = gates.check([Self.stats("complaints", read: 672)], previous: Self.previous(enterprises: 1, sources: [Self.stats("complaints", read: 747)]))
        #expect(r.map(\.passed) == [false])
        #expect(r[0].detail == "672 rows read, previous run 747 (at least 90% = 673 required)")
    }

    @Test func theFloorRefusesZeroEnterprisesAndLosingMoreThanHalf() {
        // Half of 1991 is 995.5: 996 enterprises pass, 995 fail.
        let before = Self.previous(enterprises: 1991)
        #expect(EnterpriseFloor.check(enterprises: 996, previous: before).passed)
        let lost = EnterpriseFloor.check(enterprises: 995, previous: before)
        #expect(!lost.passed && lost.gate == "enterprise_floor" && lost.source == "all sources" && lost.value == 995 && lost.limit == 996)
        #expect(lost.detail == "995 enterprises, previous run 2024-12-30 had 1991 (built-in floor: at least 50% = 996 required)")
        // Zero is refused even with nothing to compare with.
        let none = EnterpriseFloor.check(enterprises: 0, previous: .nothingPublished)
        #expect(!none.passed && none.detail.hasPrefix("0 enterprises"))
        #expect(EnterpriseFloor.check(enterprises: 5, previous: .nothingPublished).passed)
        // A damaged previous manifest is not compared by the floor (the configured gates fail on it).
        #expect(EnterpriseFloor.check(enterprises: 5, previous: .unreadable(manifest: "m", reason: "r")).passed)
    }

    @Test func theFloorAppliesWithoutAnyConfiguredGate() {
        let verdict = GateVerdict(gates: QualityGates(), stats: [], enterprises: 100, previous: Self.previous(enterprises: 1991), accepting: [])
        #expect(verdict.results.map(\.gate) == ["enterprise_floor"])
        #expect(verdict.refused.map(\.gate) == ["enterprise_floor"])
    }

    @Test func anAcceptanceCoversItsGateAndSourceOnly() {
        var gates = QualityGates()
        gates.defaultMaxRejectRate = 0.05
        // penalties 10 of 100 (10%) and complaints 6 of 100 (6%) fail 5%; licences 5 of 100 passes.
        let stats = [Self.stats("penalties", read: 100, rejected: 10), Self.stats("complaints", read: 100, rejected: 6), Self.stats("licences", read: 100, rejected: 5)]
        let one = GateVerdict(
            gates: gates, stats: stats, enterprises: 10, previous: .nothingPublished,
            accepting: [
                GateAcceptance(gate: "max_reject_rate", source: "penalties", reason: "known late corrections", by: "ops"),
                GateAcceptance(gate: "schema_drift", reason: "not failing", by: "ops"),
            ])
        #expect(one.refused.map(\.source) == ["complaints"])
        #expect(one.accepted.map(\.source) == ["penalties"])
        #expect(one.accepted[0].accepted == GateAcceptance.Record(reason: "known late corrections", by: "ops"))
        #expect(one.accepted[0].value == 0.1 && one.accepted[0].limit == 0.05)
        #expect(one.unused.map(\.name) == ["schema_drift"])
        // Without a source, every source of that gate.
        let all = GateVerdict(
            gates: gates, stats: stats, enterprises: 10, previous: .nothingPublished,
            accepting: [GateAcceptance(gate: "max_reject_rate", reason: "r", by: nil)])
        #expect(all.refused.isEmpty)
        #expect(all.accepted.map(\.source) == ["penalties", "complaints"])
        #expect(all.unused.isEmpty)
    }

    @Test func acceptGateNamesAreChecked() {
        #expect(GateAcceptance.parse("max_reject_rate:penalties", reason: "r", by: "u") == .accepted(GateAcceptance(gate: "max_reject_rate", source: "penalties", reason: "r", by: "u")))
        #expect(GateAcceptance.parse("enterprise_floor", reason: "r", by: nil) == .accepted(GateAcceptance(gate: "enterprise_floor", reason: "r")))
        guard case .problem(let typo) = GateAcceptance.parse("enterprise_flor", reason: "r", by: nil) else {
            Issue.record("a typo must not accept nothing silently")
            return
        }
        #expect(typo.contains("unknown gate 'enterprise_flor' (did you mean 'enterprise_floor'?)"))
        guard case .problem = GateAcceptance.parse("max_reject_rate:", reason: "r", by: nil) else {
            Issue.record("an empty source must be refused")
            return
        }
    }

    @Test func sharesOutsideZeroToOneAreConfigurationErrors() throws {
        let p = try PipelineCopy.make(gates: "min_enterprises_vs_previous: 95\nmin_rows_vs_previous: 0")
        #expect {
            try PipelineDefinition.load(p)
        } throws: { e in
            let text = "\(e)"
            return text.contains("min_enterprises_vs_previous is a share") && text.contains("min_rows_vs_previous is a share")
        }
    }
}
