import Foundation

/// Summaries of a run read from its profile store: classes per city, tag coverage per family.
public enum StoreStats {
    /// Enterprises per city and class, with shares, and a province total.
    /// - Complexity: reads the `class` and `reg.region` columns only.
    public static func classesByCity(_ reader: StoreReader) throws -> QueryTable {
        let meta = reader.meta
        let classColumn = try reader.column("class")
        let regionColumn = try reader.column("reg.region")
        let regionDictionary = meta.columns[regionColumn].dictionary ?? []
        let classDictionary = meta.columns[classColumn].dictionary ?? []
        let regions = Dictionary(meta.regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        // City of each region dictionary entry; class index of each class dictionary entry.
        let cityOf = regionDictionary.map { regions[$0].map { ($0.cityCode, $0.cityName) } ?? ("", "") }
        let classOf = classDictionary.map { meta.classes.firstIndex(of: $0) ?? 0 }
        var counts: [String: [Int]] = [:]
        var cityNames: [String: String] = [:]
        for g in 0..<reader.groupCount {
            let cls = try reader.dictionaryIndices(column: classColumn, group: g)
            let reg = try reader.dictionaryIndices(column: regionColumn, group: g)
            for i in 0..<cls.count {
                let (city, name) = reg[i] < 0 ? ("", "") : cityOf[Int(reg[i])]
                cityNames[city] = name
                counts[city, default: [Int](repeating: 0, count: meta.classes.count)][cls[i] < 0 ? 0 : classOf[Int(cls[i])]] += 1
            }
        }
        func row(_ code: String, _ name: String, _ c: [Int]) -> [String] {
            let total = c.reduce(0, +)
            return [code, name] + c.map { "\($0) (\(String(format: "%.1f", total == 0 ? 0 : Double($0) * 100 / Double(total)))%)" } + [String(total)]
        }
        var rows = counts.keys.sorted().map { row($0, cityNames[$0] ?? "", counts[$0]!) }
        let totals = counts.values.reduce(into: [Int](repeating: 0, count: meta.classes.count)) { acc, c in
            for k in c.indices { acc[k] += c[k] }
        }
        rows.append(row("", "全省 total", totals))
        let header = ["city", "city_name"] + meta.classes + ["total"]
        return QueryTable(header: header, rows: rows, numericColumns: Set(2..<(header.count)))
    }

    /// Per tag family: its dimension, how many tags, and their coverage (share of enterprises with a value;
    /// for booleans, share true): mean, lowest and highest, and how many tags have no coverage at all.
    /// - Complexity: reads the metadata only (coverage is counted when the store is written).
    public static func familyCoverage(_ reader: StoreReader) -> QueryTable {
        let meta = reader.meta
        var order: [String] = []
        var byFamily: [String: (dimension: String, coverages: [Double])] = [:]
        let n = Double(max(1, meta.enterprises))
        for tag in meta.tags {
            guard let c = reader.columnIndex[tag.id] else { continue }
            if byFamily[tag.family] == nil {
                order.append(tag.family)
                byFamily[tag.family] = (tag.dimension, [])
            }
            byFamily[tag.family]!.coverages.append(Double(meta.columns[c].filled) / n)
        }
        func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
        let rows = order.map { f -> [String] in
            let (dimension, cov) = byFamily[f]!
            return [
                f, dimension, String(cov.count), pct(cov.reduce(0, +) / Double(cov.count)), pct(cov.min()!), pct(cov.max()!),
                String(cov.filter { $0 == 0 }.count),
            ]
        }
        return QueryTable(
            header: ["family", "dimension", "tags", "mean_coverage", "min", "max", "empty_tags"], rows: rows,
            numericColumns: [2, 3, 4, 5, 6])
    }
}
