import DigiTagBase
import Foundation
import RunModel

/// The back-test a run publishes (`backtest.json`, shown by its `report.html` and the web dashboard): the runs
/// published before it against the inspections in its input, or why there is none.
///
/// A run's own window lies in the future when it is published, so it back-tests the runs before it: at most
/// one per calendar month (the latest of each) and the last `maxRuns` such months, so that nightly runs do not
/// make every run read a year of `classes.csv` files. `digitag model report --run …` for the same runs gives
/// the same numbers, and more (cities, industries, targeted inspections).
public struct PublishedBackTest: Sendable, Codable {
    /// The back-tested runs (as-of dates), oldest first; empty when there is no back-test.
    public var runs: [String]
    public var report: BackTestReport?
    /// Why there is no back-test (no earlier run, no inspection records, none in the windows, unreadable).
    public var absentReason: String?

    public static let file = "backtest.json"
    public static let maxRuns = 12
    /// At most this many enterprise rows (summed over the back-tested runs) are loaded by a nightly run: the
    /// back-test holds every back-tested run's classes in memory (about 250 bytes an enterprise), and a run
    /// at 1 M enterprises must stay within its memory bound. At 1 M the nightly back-test covers the last two
    /// monthly runs; `digitag model report` covers any number, on demand.
    public static let maxEnterpriseRows = 2_000_000

    public static func absent(_ why: String) -> PublishedBackTest { PublishedBackTest(runs: [], report: nil, absentReason: why) }

    /// The runs a back-test before `asOf` uses: names of published runs under `runsRoot`, oldest first.
    public static func runs(runsRoot: String, before asOf: String, maxEnterpriseRows: Int = maxEnterpriseRows) -> [String] {
        var latestOfMonth: [String: (name: String, enterprises: Int)] = [:]
        for entry in RunHistory.list(root: runsRoot) where entry.name < asOf {
            guard let manifest = entry.manifest else { continue }
            let month = String(entry.name.prefix(7))
            if let known = latestOfMonth[month], known.name > entry.name { continue }
            latestOfMonth[month] = (entry.name, manifest.enterprises)
        }
        // The latest months first, while they fit the memory budget.
        var chosen: [String] = []
        var rows = 0
        for run in latestOfMonth.values.sorted(by: { $0.name > $1.name }).prefix(maxRuns) {
            guard rows + run.enterprises <= maxEnterpriseRows else { break }
            rows += run.enterprises
            chosen.append(run.name)
        }
        return chosen.reversed()
    }

    /// - Parameters:
    ///   - runsRoot: the folder the runs are published in (`<out>`).
    ///   - asOf: the run whose back-test this is: only earlier runs are back-tested.
    ///   - input: the input whose `market/inspections*.csv` hold the outcomes (the run's own input).
    public static func make(runsRoot: String, before asOf: String, input: String, windowMonths: Int = 12) -> PublishedBackTest {
        let names = runs(runsRoot: runsRoot, before: asOf)
        guard !names.isEmpty else {
            if !runs(runsRoot: runsRoot, before: asOf, maxEnterpriseRows: .max).isEmpty {
                return .absent(
                    "更早的运行太大，夜间运行不做回测 the earlier runs hold more than \(maxEnterpriseRows) enterprises, more than a nightly run "
                        + "loads for its back-test: `digitag model report --runs \(runsRoot)` computes it on demand")
            }
            return .absent("没有更早的已发布运行 no earlier published run to back-test")
        }
        guard !InspectionVisits.sourceFiles(input: input).isEmpty else {
            return .absent("输入中没有检查记录 the input has no inspection records (market/inspections*.csv) to back-test against")
        }
        do {
            let data = try BackTestInput.load(runsRoot: runsRoot, only: names, input: input, results: [], windowMonths: windowMonths)
            guard data.units.contains(where: \.random) else {
                return .absent(
                    "更早运行后 \(windowMonths) 个月内没有双随机抽查结果 no random inspection result in the \(windowMonths) months after the runs "
                        + "\(names.joined(separator: ", ")): import results (`digitag results import`) to back-test them")
            }
            return PublishedBackTest(
                runs: names, report: BackTestReport.make(runs: data.runs, units: data.units, windowMonths: windowMonths), absentReason: nil)
        } catch {
            return .absent("回测无法读取 the back-test could not be read: \(error)")
        }
    }

    public func json() throws -> String { try ModelJSON.encode(self) }

    public static func read(_ path: String) throws -> PublishedBackTest {
        try ModelJSON.decode(PublishedBackTest.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
    }
}
