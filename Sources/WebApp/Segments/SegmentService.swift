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

    /// Enterprises of the store inside the user's region, from the region column alone.
    static func enterprises(in policy: AccessPolicy, reader: StoreReader) throws -> Int {
        let c = try reader.column("reg.region")
        let inScope = (reader.meta.columns[c].dictionary ?? []).map { policy.inScope(region: $0) }
        var n = 0
        for g in 0..<reader.groupCount {
            for k in try reader.dictionaryIndices(column: c, group: g) where k >= 0 && inScope[Int(k)] { n += 1 }
        }
        return n
    }

    public static func run(
        _ expression: String, policy: AccessPolicy, snapshot: RunSnapshot, page: Int = 1, pageSize: Int = 50
    ) throws -> SegmentResult {
        try policy.require(.query)
        try policy.check(expression: expression)
        let showClass = policy.sees(tag: "class")
        let regions = regionNames(snapshot.meta)
        return try snapshot.withStore { q in
            let counts = try q.groupCounts(expression, by: showClass ? ["region", "class"] : ["region"])
            var byCity: [String: Int] = [:]
            var byCounty: [String: Int] = [:]
            var byClass: [String: Int] = [:]
            var total = 0
            // Grouping by a region adds its name beside it: find the class column by name, not by place.
            let classColumn = counts.header.firstIndex(of: "class")
            for row in counts.rows where policy.inScope(region: row[0]) {
                let n = Int(row.last!) ?? 0
                total += n
                byCounty[row[0], default: 0] += n
                byCity[String(row[0].prefix(4)), default: 0] += n
                if showClass, let c = classColumn { byClass[row[c], default: 0] += n }
            }
            let scopeSize = try enterprises(in: policy, reader: q.reader)
            func sorted(_ d: [String: Int], name: (String) -> String) -> [SegmentResult.Count] {
                d.keys.sorted().map { SegmentResult.Count(key: $0, name: name($0), count: d[$0]!) }
            }
            let cityNames = Dictionary(regions.values.map { ($0.cityCode, $0.cityName) }, uniquingKeysWith: { a, _ in a })
            let classNames = Dictionary(zip(snapshot.meta.classes, snapshot.meta.classNamesZh), uniquingKeysWith: { a, _ in a })
            // The page: the list is evaluated whole and cut (a store index per region is the next step at scale).
            let pageNumber = max(1, page)
            let listed = try q.list(expression, columns: showClass ? ["region", "class", "score"] : ["region"])
            var rows: [SegmentResult.Row] = []
            var seen = 0
            let first = (pageNumber - 1) * pageSize
            for r in listed.rows where policy.inScope(region: r[2]) {
                defer { seen += 1 }
                guard seen >= first && seen < first + pageSize else { continue }
                rows.append(
                    SegmentResult.Row(
                        uscc: r[0], name: r[1], region: r[2], regionName: regions[r[2]].map { "\($0.cityName) \($0.name)" } ?? "",
                        riskClass: showClass ? r[3] : "", score: showClass ? r[4] : ""))
            }
            return SegmentResult(
                expression: expression, run: snapshot.directory, asOf: snapshot.asOf, total: total, enterprisesInScope: scopeSize,
                byCity: sorted(byCity) { cityNames[$0] ?? "" }, byCounty: sorted(byCounty) { regions[$0]?.name ?? "" },
                byClass: sorted(byClass) { classNames[$0] ?? "" }, page: pageNumber, pageSize: pageSize, rows: rows)
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
