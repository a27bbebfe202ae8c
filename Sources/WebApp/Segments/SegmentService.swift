import DigiTagBase
import DigiTagIO
import Foundation
import ProfileStore
import Query

/// Segments through the access policy: the expression is checked against the role before it is compiled,
/// and counts, lists and exports are cut to the user's region after it is evaluated.
///
/// Region scoping is done here on the region column rather than by rewriting the user's expression, so an
/// expression can never widen its own scope.
public enum SegmentService {
    static func regionNames(_ meta: StoreMeta) -> [String: StoreRegion] {
        Dictionary(meta.regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The segment in the user's region: counts by city, county and class, and page `page` of the list.
    ///
    /// The expression is evaluated once (or not at all when the run's cache has it for this scope); the counts
    /// come from the matches and the run's census, and only the rows of the page are read and formatted.
    public static func run(
        _ expression: String, policy: AccessPolicy, snapshot: RunSnapshot, page: Int = 1, pageSize: Int = 50
    ) throws -> SegmentResult {
        try policy.require(.query)
        try policy.check(expression: expression)
        let showClass = policy.sees(tag: "class")
        let regions = regionNames(snapshot.meta)
        let census = snapshot.census
        let key = SegmentCache.key(expression, scope: policy.user.region.code)
        let matches = try snapshot.segments.value(key) {
            let scope = census.regionsIn(policy)
            return try snapshot.withStore { try SegmentMatches.evaluate(expression, query: $0, census: census, scope: scope) }
        }
        let (byCounty, byCity, byClass) = matches.counts(census: census)
        func sorted(_ d: [String: Int], name: (String) -> String) -> [SegmentResult.Count] {
            d.keys.sorted().map { SegmentResult.Count(key: $0, name: name($0), count: d[$0]!) }
        }
        let cityNames = Dictionary(regions.values.map { ($0.cityCode, $0.cityName) }, uniquingKeysWith: { a, _ in a })
        let classNames = Dictionary(zip(snapshot.meta.classes, snapshot.meta.classNamesZh), uniquingKeysWith: { a, _ in a })
        let pageNumber = max(1, page)
        let first = min((pageNumber - 1) * pageSize, matches.total)
        let listed = matches.ordinals[first..<min(first + pageSize, matches.total)].map { Int($0) }
        let rows = try pageRows(listed, snapshot: snapshot, census: census, showClass: showClass).map { r in
            SegmentResult.Row(
                uscc: r.uscc, name: r.name, region: r.region, regionName: regions[r.region].map { "\($0.cityName) \($0.name)" } ?? "",
                riskClass: r.riskClass, score: r.score)
        }
        return SegmentResult(
            expression: expression, run: snapshot.directory, asOf: snapshot.asOf, total: matches.total,
            enterprisesInScope: snapshot.enterprises(in: policy),
            byCity: sorted(byCity) { cityNames[$0] ?? "" }, byCounty: sorted(byCounty) { regions[$0]?.name ?? "" },
            byClass: showClass ? sorted(byClass) { classNames[$0] ?? "" } : [], page: pageNumber, pageSize: pageSize, rows: rows)
    }

    /// USCC, name, region, class and score of the listed enterprises (ascending ordinals): the key, name and
    /// score blocks of each row group they fall in, each read once.
    static func pageRows(_ ordinals: [Int], snapshot: RunSnapshot, census: RunCensus, showClass: Bool) throws -> [(
        uscc: String, name: String, region: String, riskClass: String, score: String
    )] {
        guard !ordinals.isEmpty else { return [] }
        let groupSize = snapshot.meta.groupSize
        return try snapshot.withStore { q in
            let reader = q.reader
            let usccColumn = try reader.column("uscc")
            let nameColumn = try reader.column("name")
            let scoreColumn = try reader.column("score")
            var out: [(uscc: String, name: String, region: String, riskClass: String, score: String)] = []
            var k = 0
            while k < ordinals.count {
                let g = ordinals[k] / groupSize
                var end = k
                while end < ordinals.count && ordinals[end] / groupSize == g { end += 1 }
                let rows = ordinals[k..<end].map { $0 - g * groupSize }
                let usccs = try reader.formatted(column: usccColumn, group: g, rows: rows)
                let names = try reader.formatted(column: nameColumn, group: g, rows: rows)
                let scores = try showClass ? reader.formatted(column: scoreColumn, group: g, rows: rows) : []
                for (i, o) in ordinals[k..<end].enumerated() {
                    out.append((usccs[i], names[i], census.regionCode(o), showClass ? census.classCode(o) : "", showClass ? scores[i] : ""))
                }
                k = end
            }
            return out
        }
    }

    /// The segment as CSV bytes for a person: UTF-8 with a byte-order mark (Excel reads Chinese right),
    /// formula-safe cells. Columns: the fixed ones plus `columns` (tags or expressions), each checked.
    public static func csv(_ expression: String, columns: [String], policy: AccessPolicy, snapshot: RunSnapshot, scratch: String) throws -> (
        bytes: [UInt8], rows: Int
    ) {
        try policy.require(.export)
        try policy.check(expression: expression)
        for c in columns { try policy.check(expression: c) }
        let showClass = policy.sees(tag: "class")
        let regions = regionNames(snapshot.meta)
        let extra = columns.filter { !["uscc", "name", "region", "class", "score"].contains($0) }
        let table = try snapshot.withStore { q in
            try q.list(expression, columns: ["region"] + (showClass ? ["class", "score"] : []) + extra)
        }
        let header = ["uscc", "name", "region", "region_name"] + (showClass ? ["class", "score"] : []) + extra
        let path = FileSystem.join(scratch, "segment-\(UUID().uuidString).csv")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try CSVWriter(path: path, header: header, bom: true, formulaSafe: true)
        var n = 0
        for r in table.rows where policy.inScope(region: r[2]) {
            let name = regions[r[2]].map { "\($0.cityName) \($0.name)" } ?? ""
            try writer.row([r[0], r[1], r[2], name] + r[3...])
            n += 1
        }
        try writer.close()
        return (Array(FileManager.default.contents(atPath: path) ?? Data()), n)
    }
}
