import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import NightlyRun
import Report
import TestSupport
import Testing

/// Each run's `changes.json`: what changed since the run that was current before it.
@Suite struct ReportChangesTests {
    @Test func aFirstRunSaysSo() throws {
        let c = try ChangeSummary.read(ReportFixture.first + "/changes.json")
        #expect(c.status == .firstRun)
        #expect(c.from == nil && c.to == "2024-06-30")
        #expect(c.classChanges.isEmpty && c.newListings.isEmpty && c.coverageMoves.isEmpty)
        #expect(TestPaths.read(ReportFixture.first + "/report.html").contains("First run in this directory"))
    }

    @Test func theSecondRunCarriesTheDiffAgainstTheFirst() throws {
        let c = try ChangeSummary.read(ReportFixture.second + "/changes.json")
        #expect(c.status == .compared)
        #expect(c.from == "2024-06-30" && c.to == "2024-12-31")
        // The same content as `digitag diff` between the two published runs.
        let d = ReportFixture.definition
        let diff = try RunDiff.compare(ReportFixture.first, ReportFixture.second, catalog: d.catalog, classOrder: d.risk.classes.map(\.code))
        #expect(c == ChangeSummary(diff, from: "2024-06-30", to: "2024-12-31", coverageThreshold: 0.02))
        // The hand-made enterprise's 2023 annual report became overdue between June and December: A → B.
        #expect(c.classChanges.contains { $0.uscc == "91370102HANDMADE1C" && $0.from == "A" && $0.to == "B" && $0.direction == "up" })
        #expect(c.classUp + c.classDown == c.classChanges.count)
        #expect(c.classUp > 0 && c.classDown > 0)
        #expect(c.newListingCounts.values.reduce(0, +) == c.newListings.count)
        #expect(Set(c.newListingCounts.keys) == Set(RunDiff.watchedListings))
        #expect(c.newListingCounts["abnormal.listed", default: 0] > 0)
        #expect(c.coverageMoves.allSatisfy { abs($0.after - $0.before) > 0.02 })
    }

    @Test func theFileIsTheSameBytesForTheSameTwoRuns() throws {
        let d = ReportFixture.definition
        let diff = try RunDiff.compare(ReportFixture.first, ReportFixture.second, catalog: d.catalog, classOrder: d.risk.classes.map(\.code))
        let again = try ChangeSummary(diff, from: "2024-06-30", to: "2024-12-31", coverageThreshold: 0.02).encoded()
        #expect(FileManager.default.contents(atPath: ReportFixture.second + "/changes.json") == again)
    }

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

    /// A previous run that cannot be read does not stop tonight's run: it is published, and its summary
    /// and report say why there is no comparison.
    @Test func anUnreadablePreviousRunIsReportedNotFatal() throws {
        let copy = try ReportFixture.copy()
        for file in ["store", "classes.csv"] { try FileManager.default.removeItem(atPath: copy + "/2024-12-31/" + file) }
        let summary = try Runner.run(ReportFixture.options(out: copy, asOf: "2025-01-31"))
        let c = try ChangeSummary.read(summary.runDirectory + "/changes.json")
        #expect(c.status == .unavailable)
        #expect(c.from == "2024-12-31")
        #expect(c.reason?.contains("classes.csv") == true)
        let page = TestPaths.read(summary.runDirectory + "/report.html")
        #expect(page.contains("Could not compare with the previous run 2024-12-31"))
        #expect(page.contains("class=\"status warn\""))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: copy + "/current") == "2025-01-31")
    }
}
