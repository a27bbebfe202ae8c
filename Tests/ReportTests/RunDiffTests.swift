import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import NightlyRun
import Report
import RunModel
import TestSupport
import Testing

@Suite struct RunDiffTests {
    @Test func classMovesAndNewListingsBetweenTwoNights() throws {
        let out = TestPaths.temporaryDirectory("diff-runs")
        let pipeline = TestPaths.repo("Pipelines/shandong.yaml")
        for asOf in ["2024-06-30", "2024-12-31"] {
            _ = try Runner.run(
                RunOptions(pipeline: pipeline, input: TestPaths.repo("SampleData"), asOf: Day(iso: asOf)!, output: out, threads: 2))
        }
        let d = try PipelineDefinition.load(pipeline)
        let diff = try RunDiff.compare(out + "/2024-06-30", out + "/2024-12-31", catalog: d.catalog, classOrder: ["A", "B", "C", "D"])
        // On 2024-06-30 the 2023 annual report was not yet overdue; by December it is missing (+10): A → B.
        let handmade = try #require(diff.classChanges.first { $0.uscc == "91370102HANDMADE1C" })
        #expect(handmade.from == "A" && handmade.to == "B" && handmade.up)
        #expect(diff.classChanges.allSatisfy { $0.from != $0.to })
        // Every new listing is true in the later run and false in the earlier one.
        let before = try ReferenceTable.load(out + "/2024-06-30/tags.csv", requiredColumns: ["uscc", "abnormal.listed"])
        let after = try ReferenceTable.load(out + "/2024-12-31/tags.csv", requiredColumns: ["uscc", "abnormal.listed"])
        func listed(_ t: ReferenceTable) -> Set<String> {
            let i = t.header.firstIndex(of: "abnormal.listed")!
            return Set(t.rows.filter { $0[i] == "1" }.map { $0[0] })
        }
        let expected = listed(after).subtracting(listed(before))
        #expect(Set(diff.newListings.filter { $0.tag == "abnormal.listed" }.map(\.uscc)) == expected)
        #expect(!expected.isEmpty)
        #expect(diff.enterprisesGone == 0)
        #expect(diff.text.contains("class changes: \(diff.classChanges.count)"))
    }
}
