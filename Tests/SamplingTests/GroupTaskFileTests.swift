import DigiTagBase
import Foundation
import Sampling
import Testing

/// Task files with groups: what they read, and every way they can be wrong, with its place.
@Suite struct GroupTaskFileTests {
    static let targeted = """
        id: T-GROUPS
        seed: g
        items: [annual_report]
        floor: 0.5%
        strata: [class, city]
        max_per_stratum: 40
        groups:
          - id: capital
            name_zh: 大额资本无纳税
            where: targeted.capital_ge1000_no_tax.1y
            ratio: 100%
            strata: []
          - id: signals
            where: "targeted.not_inspected_high_risk_signals"
            ratio: 10%
            weight: score + 1
          - id: general
            rest: true
            ratios: {A: 1.4%, B: 3%, C: 10%, D: 10%}
            rounding: largest_remainder
        """

    @Test func readsGroupsInOrderWithTheTasksDefaults() throws {
        let t = try SamplingTask.load(text: Self.targeted, file: "t.yaml")
        #expect(t.declaresGroups)
        #expect(t.groups.map(\.id) == ["capital", "signals", "general"])
        #expect(t.effectiveGroups.map(\.id) == ["capital", "signals", "general"])
        #expect(t.floor?.description == "0.005")
        let capital = t.groups[0]
        #expect(capital.nameZh == "大额资本无纳税")
        #expect(capital.rule?.expression == "targeted.capital_ge1000_no_tax.1y")
        #expect(capital.ratios == .uniform(.one) && capital.strata.isEmpty && !capital.isWeighted)
        let signals = t.groups[1]
        #expect(signals.weight?.expression == "score + 1")
        #expect(signals.strata == ["class", "city"], "strata default to the task's")
        #expect(signals.maximumPerStratum == 40 && signals.rounding == .keyed)
        // The quoted rule's offsets map to the file's columns (after the opening quote).
        #expect(signals.rule?.location(ofOffset: 0) == SourceLocation(file: "t.yaml", line: 14, column: 13))
        let general = t.groups[2]
        #expect(general.isRest && general.rule == nil)
        #expect(general.ratios.ratio(for: "A")?.description == "0.014")
        #expect(general.rounding == .largestRemainder)
    }

    @Test func aTaskWithoutGroupsIsOneImplicitGroupWithItsOwnRatios() throws {
        let t = try SamplingTask.load(text: "id: X\nitems: [annual_report]\nratios: {A: 2%, B: 3%, C: 4%, D: 5%}\n", file: "t.yaml")
        #expect(!t.declaresGroups)
        let g = try #require(t.effectiveGroups.first)
        #expect(t.effectiveGroups.count == 1 && g.id == "" && g.isRest)
        #expect(g.ratios.ratio(for: "C")?.description == "0.04" && g.strata == ["class", "county"])
    }

    @Test func everyPolicyThatCouldExemptAnEnterpriseIsRefusedWithItsPlace() {
        let text = """
            id: T-BAD
            items: [annual_report]
            ratios: {A: 1%}
            groups:
              - id: general
                rest: true
                ratios: {A: 0, B: 3%}
              - id: shell
                where: targeted.shell_like
                ratio: 20%
                weight: score
              - id: shell
                where: targeted.no_reports_two_years
                ratio: 5%
                wieght: score
              - id: both
                where: targeted.shell_like
                ratio: 5%
                ratios: {A: 1%}
              - id: neither
                ratio: 5%
            """
        do {
            _ = try SamplingTask.load(text: text, file: "bad.yaml")
            Issue.record("expected errors")
        } catch {
            let all = error.description
            for expected in [
                "bad.yaml:3:9: error: the task has groups, so ratios belong to each group",
                "bad.yaml:7:14: error: ratio for class A must be above 0",
                "bad.yaml:5:5: error: group 'general' is 'rest: true' but not last",
                "bad.yaml:5:3: error: the groups do not end with 'rest: true'",
                "bad.yaml:11:13: error: group 'shell' is weighted but the task has no floor",
                "bad.yaml:12:5: error: group id 'shell' is used twice (first at bad.yaml:8:5)",
                "bad.yaml:15:5: error: unknown key 'wieght' in the group (did you mean 'weight'?)",
                "bad.yaml:18:12: error: group 'both' gives both 'ratio' and 'ratios'",
                "bad.yaml:20:5: error: group 'neither' needs a 'where' (a tag expression) or 'rest: true'",
            ] {
                #expect(all.contains(expected), "missing: \(expected)\nin:\n\(all)")
            }
        }
    }

    @Test func exemptReasonAllowsAZeroRatioAndGroupsWithoutRest() throws {
        let text = """
            id: T-EXEMPT
            items: [annual_report]
            exempt_reason: "class A enterprises of this pilot are covered by the provincial annual-report check"
            groups:
              - id: risky
                where: "class in ['C', 'D']"
                ratios: {A: 0, B: 0, C: 10%, D: 10%}
              - id: shell
                where: targeted.shell_like
                ratio: 20%
                weight: score
                strata: []
            """
        let t = try SamplingTask.load(text: text, file: "t.yaml")
        #expect(t.exemptReason?.hasPrefix("class A enterprises") == true)
        #expect(t.groups[0].ratios.ratio(for: "A") == .zero)
        #expect(!t.groups.last!.isRest)
    }

    @Test func perClassRatiosNeedClassStrataAndTheFloorMayNotExceedARatio() {
        let text = """
            id: T-FLOOR
            items: [annual_report]
            floor: 2%
            groups:
              - id: general
                rest: true
                ratios: {A: 1.4%, C: 10%}
                strata: [county]
            """
        do {
            _ = try SamplingTask.load(text: text, file: "f.yaml")
            Issue.record("expected errors")
        } catch {
            let all = error.description
            #expect(all.contains("f.yaml:8:13: error: group 'general' has ratios per class, so its strata must include 'class'"), "\(all)")
            #expect(all.contains("group 'general' has a ratio of 1.4%, below the floor 2%"), "\(all)")
            #expect(!all.contains("ratio of 10%"), "\(all)")
        }
    }

    @Test func floorAndExemptReasonAreChecked() throws {
        for (yaml, message) in [
            ("floor: 0\n", "floor must be above 0"), ("floor: 150%\n", "floor must be from 0 to 1"),
            ("exempt_reason: \"  \"\n", "exempt_reason must say why"),
        ] {
            let error = try #require(throws: DiagnosticsError.self) {
                try SamplingTask.load(text: "id: X\nitems: [annual_report]\n" + yaml, file: "x.yaml")
            }
            #expect(error.description.contains("x.yaml:3:") && error.description.contains(message), "\(error.description)")
        }
    }
}
