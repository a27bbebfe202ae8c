import DataContract
import DigiTagBase
import Engine
import Foundation
import Model
import ProfileStore
import Report
import RunModel

/// What `report.html` shows, for the user's part of the province: classes by area (cities for the province,
/// counties for a city or a county), the sources of the run, the changes since the previous run, and the
/// share of each class across the retained runs; for the province, the back-test of the risk classes.
///
/// Every count is cut to the user's region from the run's census (region and class of every enterprise),
/// so a city analyst's dashboard is their city's, never the province's.
struct Dashboard: Sendable {
    struct Area: Sendable {
        var code: String
        var name: String
        /// By class code ("" for enterprises without a class).
        var counts: [String: Int]
        var total: Int { counts.values.reduce(0, +) }
    }

    struct Move: Sendable {
        var uscc: String
        var name: String
        var from: String
        var to: String
        var up: Bool
    }

    /// One retained run's classes inside the scope.
    struct Point: Sendable {
        var asOf: String
        var counts: [String: Int]
        var total: Int { counts.values.reduce(0, +) }
    }

    struct Source: Sendable {
        var name: String
        var read: Int
        var accepted: Int
        var rejected: Int
    }

    var scope: RegionScope
    var scopeName: String
    var asOf: String
    /// Class codes and Chinese names, lowest risk first.
    var classes: [(code: String, nameZh: String)]
    /// Areas one level below the scope (the county itself for a county), by code.
    var areas: [Area]
    var sources: [Source]
    /// The run the changes are against (from changes.json), or why there are none.
    var changesFrom: String?
    var changesNote: String?
    var moves: [Move]
    /// Newly true watched listings in scope, per tag the role may see.
    var listings: [(tag: String, count: Int)]
    var trend: [Point]
    /// The run's back-test (`backtest.json`), for the province's dashboard only: its figures are the province's,
    /// which a city or county user's dashboard must not show. nil for other scopes.
    var backTest: PublishedBackTest?

    var total: Int { areas.reduce(0) { $0 + $1.total } }

    static let listLimit = 50

    static func gather(policy: AccessPolicy, snapshot: RunSnapshot, runs: PublishedRuns) throws -> Dashboard {
        let meta = snapshot.meta
        let census = snapshot.census
        let inScope = census.regionsIn(policy)
        let scope = policy.user.region
        let regions = Dictionary(meta.regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let cityNames = Dictionary(meta.regions.map { ($0.cityCode, $0.cityName) }, uniquingKeysWith: { a, _ in a })
        let digits = scope.level == .province ? 4 : 6
        func areaName(_ code: String) -> String { digits == 4 ? cityNames[code] ?? "" : regions[code]?.name ?? "" }
        let areas = census.classCounts(in: inScope, areaDigits: digits).map { Area(code: $0.key, name: areaName($0.key), counts: $0.value) }
            .sorted { $0.code < $1.code }
        let scopeName: String
        switch scope.level {
        case .province: scopeName = "全省 the province"
        case .city: scopeName = cityNames[scope.code] ?? scope.code
        case .county: scopeName = regions[scope.code].map { "\($0.cityName) \($0.name)" } ?? scope.code
        }
        let manifest = try Manifest.read(FileSystem.join(snapshot.directory, "manifest.json"))
        let sources = manifest.sources.map { Source(name: $0.source, read: $0.rowsRead, accepted: $0.rowsAccepted, rejected: $0.rowsRejected) }

        // Changes: the run's own change summary (against the run current before it), cut to the scope.
        var moves: [Move] = []
        var listingCounts: [String: Int] = [:]
        var changesFrom: String?
        var changesNote: String?
        let changesPath = FileSystem.join(snapshot.directory, "changes.json")
        if let changes = try? ChangeSummary.read(changesPath) {
            switch changes.status {
            case .compared:
                changesFrom = changes.from
                let keys = try snapshot.withStore { q in
                    try (changes.classChanges.map(\.uscc) + changes.newListings.map(\.uscc)).map { uscc in
                        try (try? USCC.parse(uscc).get()).flatMap { try q.reader.ordinal(of: $0) }
                    }
                }
                func visible(_ ordinal: Int?) -> Bool {
                    guard let o = ordinal else { return false }
                    let r = census.region[o]
                    return r >= 0 && inScope[Int(r)]
                }
                for (c, ordinal) in zip(changes.classChanges, keys) where visible(ordinal) {
                    moves.append(Move(uscc: c.uscc, name: c.name, from: c.from, to: c.to, up: c.direction == "up"))
                }
                for (l, ordinal) in zip(changes.newListings, keys.dropFirst(changes.classChanges.count)) where visible(ordinal) && policy.sees(tag: l.tag) {
                    listingCounts[l.tag, default: 0] += 1
                }
            case .firstRun: changesNote = "首次发布，无可比较 the first published run: nothing to compare"
            case .unavailable: changesNote = "上次发布的运行无法读取 the previous run could not be read: \(changes.reason ?? "")"
            }
        } else {
            changesNote = "本次运行没有变化摘要 this run has no changes.json"
        }
        let listings = RunDiff.watchedListings.filter(policy.sees(tag:)).map { (tag: $0, count: listingCounts[$0] ?? 0) }

        // The trend: each retained run's classes in the scope, from its own census.
        var trend: [Point] = []
        for directory in runs.retained(until: snapshot.directory) {
            let run = directory == snapshot.directory ? snapshot : try runs.snapshot(directory: directory)
            let c = run.census
            let counts = c.classCounts(in: c.regionsIn(policy), areaDigits: 0)[""] ?? [:]
            trend.append(Point(asOf: run.asOf, counts: counts))
        }
        // The back-test the run published with it: province-wide figures, so the province's dashboard only.
        var backTest: PublishedBackTest?
        if scope.level == .province {
            let path = FileSystem.join(snapshot.directory, PublishedBackTest.file)
            if FileSystem.exists(path) {
                do {
                    backTest = try PublishedBackTest.read(path)
                } catch {
                    backTest = .absent("backtest.json 无法读取 could not be read: \(error)")
                }
            } else {
                backTest = .absent("本次运行没有回测 this run has no backtest.json (published before runs wrote one)")
            }
        }
        return Dashboard(
            scope: scope, scopeName: scopeName, asOf: snapshot.asOf, classes: zip(meta.classes, meta.classNamesZh).map { (code: $0, nameZh: $1) }, areas: areas,
            sources: sources, changesFrom: changesFrom, changesNote: changesNote, moves: moves, listings: listings, trend: trend, backTest: backTest)
    }
}
