import DigiTagBase
import DigiTagIO
import Foundation
import Pipeline
import TestSupport
import Testing

/// The change between two runs, read from their profile stores or their CSV files.
@Suite struct ReportChangesTests {
    /// The nightly comparison reads the profile stores; runs without one are compared from their CSV files.
    /// Both must give the same answer, or `digitag diff` on old runs would disagree with changes.json.
    @Test(arguments: [("2024-06-30", "2024-12-31"), ("2024-12-31", "2024-06-30"), ("half", "2024-12-31"), ("2024-12-31", "half")])
    func storesAndCSVFilesGiveTheSameDiff(from: String, to: String) throws {
        func run(_ name: String) -> String { name == "half" ? ReportFixture.half : ReportFixture.out + "/" + name }
        let d = ReportFixture.definition
        let order = d.risk.classes.map(\.code)
        // A threshold low enough that many tags move, so coverage is compared too.
        let fromStores = try RunDiff.compare(run(from), run(to), catalog: d.catalog, classOrder: order, coverageThreshold: 0.001)
        let fromCSV = try RunDiff.compare(
            try ReportFixture.withoutStore(run(from)), try ReportFixture.withoutStore(run(to)), catalog: d.catalog, classOrder: order,
            coverageThreshold: 0.001)
        let a = ChangeSummary(fromStores, from: from, to: to, coverageThreshold: 0.001)
        let b = ChangeSummary(fromCSV, from: from, to: to, coverageThreshold: 0.001)
        #expect(a.classChanges == b.classChanges)
        #expect(a.newListings == b.newListings)
        #expect(a.coverageMoves == b.coverageMoves)
        #expect(a == b)
        #expect(!a.classChanges.isEmpty || !a.newListings.isEmpty || a.enterprisesGone > 0, "something to compare")
    }

    /// Enterprises present in only one of the runs are counted as new or gone, and a new one that is
    /// already listed counts as newly listed.
    @Test func enterprisesNewAndGone() throws {
        let d = ReportFixture.definition
        let order = d.risk.classes.map(\.code)
        let forwards = try RunDiff.compare(ReportFixture.half, ReportFixture.second, catalog: d.catalog, classOrder: order)
        let backwards = try RunDiff.compare(ReportFixture.second, ReportFixture.half, catalog: d.catalog, classOrder: order)
        func listed(_ run: String) throws -> (all: Set<String>, flagged: Set<String>) {
            let t = try ReferenceTable.load(run + "/tags.csv", requiredColumns: ["uscc"] + RunDiff.watchedListings)
            let columns = RunDiff.watchedListings.map { t.header.firstIndex(of: $0)! }
            return (Set(t.rows.map { $0[0] }), Set(t.rows.flatMap { row in columns.filter { row[$0] == "1" }.map { row[0] + "/" + t.header[$0] } }))
        }
        let (before, flaggedBefore) = try listed(ReportFixture.half)
        let (after, flaggedAfter) = try listed(ReportFixture.second)
        #expect(forwards.enterprisesAdded == after.subtracting(before).count)
        #expect(forwards.enterprisesGone == before.subtracting(after).count)
        #expect(forwards.enterprisesAdded > 900)
        #expect(backwards.enterprisesGone == forwards.enterprisesAdded && backwards.enterprisesAdded == forwards.enterprisesGone)
        // Newly listed = flagged now and not before, whether or not the enterprise was there before.
        #expect(Set(forwards.newListings.map { $0.uscc + "/" + $0.tag }) == flaggedAfter.subtracting(flaggedBefore))
        #expect(Set(backwards.newListings.map { $0.uscc + "/" + $0.tag }) == flaggedBefore.subtracting(flaggedAfter))
        #expect(forwards.newListings.contains { !before.contains($0.uscc) })
    }
}
