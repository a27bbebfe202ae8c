import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import ProfileStore
import Query

/// What changed between two published runs: class moves, new listings, tag coverage moves.
public struct RunDiff: Sendable {
    public struct ClassChange: Sendable, Equatable {
        public var uscc: String
        public var name: String
        public var from: String
        public var to: String
        public var up: Bool
    }

    public struct Listing: Sendable, Equatable {
        public var tag: String
        public var uscc: String
        public var name: String
    }

    public struct CoverageMove: Sendable, Equatable {
        public var tag: String
        public var before: Double
        public var after: Double
    }

    public var from: String
    public var to: String
    public var classChanges: [ClassChange]
    public var newListings: [Listing]
    public var coverageMoves: [CoverageMove]
    public var enterprisesAdded: Int
    public var enterprisesGone: Int

    /// Boolean tags whose turning true a regulator wants to hear about.
    public static let watchedListings = ["abnormal.listed", "credit.dishonest_debtor", "credit.serious_dishonest", "credit.black"]

    /// Compares run `a` (earlier) with run `b`. Class order is the risk model's (A lowest risk).
    ///
    /// Reads the runs' profile stores when both have one (see `RunDiff+Store.swift`), else their CSV files.
    /// - Parameter coverageThreshold: report tags whose coverage moved by more than this (absolute share).
    public static func compare(_ a: String, _ b: String, catalog: TagCatalog, classOrder: [String], coverageThreshold: Double = 0.02)
        throws -> RunDiff
    {
        if FileSystem.exists(StoreFormat.path(run: a)) && FileSystem.exists(StoreFormat.path(run: b)) {
            return try compareStores(a, b, catalog: catalog, classOrder: classOrder, coverageThreshold: coverageThreshold)
        }
        let ca = try classesByUSCC(a)
        let cb = try classesByUSCC(b)
        let rank = Dictionary(uniqueKeysWithValues: classOrder.enumerated().map { ($1, $0) })
        var changes: [ClassChange] = []
        for (uscc, after) in cb.sorted(by: { $0.key < $1.key }) {
            guard let before = ca[uscc], before.cls != after.cls else { continue }
            changes.append(
                ClassChange(uscc: uscc, name: after.name, from: before.cls, to: after.cls, up: (rank[after.cls] ?? 0) > (rank[before.cls] ?? 0)))
        }
        let watched = watchedListings.filter { catalog.tag($0) != nil }
        let la = try flags(a, tags: watched)
        let lb = try flags(b, tags: watched)
        var listings: [Listing] = []
        for tag in watched {
            for uscc in lb[tag, default: []].subtracting(la[tag, default: []]).sorted() {
                listings.append(Listing(tag: tag, uscc: uscc, name: cb[uscc]?.name ?? ""))
            }
        }
        let sa = try TagStatistics.compute(run: a, catalog: catalog)
        let sb = try TagStatistics.compute(run: b, catalog: catalog)
        let before = Dictionary(uniqueKeysWithValues: sa.entries.map { ($0.id, $0.coverage) })
        let moves = sb.entries.compactMap { e -> CoverageMove? in
            guard let c = before[e.id], abs(e.coverage - c) > coverageThreshold else { return nil }
            return CoverageMove(tag: e.id, before: c, after: e.coverage)
        }
        return RunDiff(
            from: a, to: b, classChanges: changes, newListings: listings, coverageMoves: moves,
            enterprisesAdded: Set(cb.keys).subtracting(ca.keys).count, enterprisesGone: Set(ca.keys).subtracting(cb.keys).count)
    }

    static func classesByUSCC(_ run: String) throws -> [String: (cls: String, name: String)] {
        let path = FileSystem.join(run, "classes.csv")
        guard FileSystem.exists(path) else { throw InputError(file: path, message: "no classes.csv: not a complete run directory") }
        let t = try ReferenceTable.load(path, requiredColumns: ["uscc", "name", "class"])
        let (u, n, c) = (t.header.firstIndex(of: "uscc")!, t.header.firstIndex(of: "name")!, t.header.firstIndex(of: "class")!)
        var out: [String: (String, String)] = [:]
        for r in t.rows { out[r[u]] = (r[c], r[n]) }
        return out
    }

    /// For each tag, the enterprises for which it is true (one streaming pass over tags.csv).
    static func flags(_ run: String, tags: [String]) throws -> [String: Set<String>] {
        let path = FileSystem.join(run, "tags.csv")
        var columns: [(tag: String, index: Int)] = []
        var out: [String: Set<String>] = [:]
        try CSVReader(path: path).read(
            onRow: { row in
                if columns.isEmpty {
                    let header = row.strings
                    columns = tags.compactMap { t in header.firstIndex(of: t).map { (t, $0) } }
                    return
                }
                for (tag, i) in columns where i < row.count && row.field(i).elementsEqual([0x31]) {
                    out[tag, default: []].insert(row.string(0))
                }
            },
            onSyntaxProblem: { p in throw InputError(file: path, line: p.line, message: p.message) })
        return out
    }

    /// The summary a person reads.
    public var text: String {
        var out = ["from \(from) to \(to): \(enterprisesAdded) enterprises new, \(enterprisesGone) gone"]
        let up = classChanges.filter(\.up)
        out.append("class changes: \(classChanges.count) (\(up.count) to a higher-risk class, \(classChanges.count - up.count) lower)")
        for c in classChanges.prefix(50) { out.append("  \(c.up ? "↑" : "↓") \(c.uscc) \(c.name): \(c.from) → \(c.to)") }
        if classChanges.count > 50 { out.append("  … \(classChanges.count - 50) more (use --csv)") }
        out.append("newly listed: \(newListings.count)")
        for l in newListings.prefix(50) { out.append("  \(l.tag): \(l.uscc) \(l.name)") }
        out.append("tags whose coverage moved: \(coverageMoves.count)")
        for m in coverageMoves.prefix(50) {
            out.append("  \(m.tag): \(String(format: "%.1f%% → %.1f%%", m.before * 100, m.after * 100))")
        }
        return out.joined(separator: "\n")
    }
}
