import DigiTagIO
import Foundation

/// Summaries of a run read from its profile store: classes per city, tag coverage per family.
///
/// The numbers (`classCountsByCity`, `familyCoverageValues`) feed both `digitag stats` (as tables) and
/// `report.html` (as charts), so the two always agree.
public enum StoreStats {
    /// Enterprises of one city per risk class.
    public struct CityClassCounts: Sendable, Equatable {
        /// The city's code from regions.csv (`3701`); empty for enterprises whose region is unknown.
        public var cityCode: String
        public var cityName: String
        /// Per class, in the risk model's order (the store's `classes`).
        public var counts: [Int]
        public var total: Int { counts.reduce(0, +) }
    }

    /// One tag family's coverage: share of enterprises with a value (booleans: share true).
    public struct FamilyCoverage: Sendable, Equatable {
        public var family: String
        public var dimension: String
        public var dimensionZh: String
        public var tags: Int
        public var mean: Double
        public var min: Double
        public var max: Double
        /// Tags of the family that no enterprise has.
        public var emptyTags: Int
    }

    /// Enterprises per city and class, cities in code order.
    /// - Complexity: reads the `class` and `reg.region` columns only.
    public static func classCountsByCity(_ reader: StoreReader) throws -> [CityClassCounts] {
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
        return counts.keys.sorted().map { CityClassCounts(cityCode: $0, cityName: cityNames[$0] ?? "", counts: counts[$0]!) }
    }

    /// Enterprises per city and class, with shares, and a province total.
    /// - Complexity: reads the `class` and `reg.region` columns only.
    public static func classesByCity(_ reader: StoreReader) throws -> TextTable {
        let meta = reader.meta
        let cities = try classCountsByCity(reader)
        func row(_ code: String, _ name: String, _ c: [Int]) -> [String] {
            let total = c.reduce(0, +)
            return [code, name] + c.map { "\($0) (\(String(format: "%.1f", total == 0 ? 0 : Double($0) * 100 / Double(total)))%)" } + [String(total)]
        }
        var rows = cities.map { row($0.cityCode, $0.cityName, $0.counts) }
        let totals = cities.reduce(into: [Int](repeating: 0, count: meta.classes.count)) { acc, c in
            for k in c.counts.indices { acc[k] += c.counts[k] }
        }
        rows.append(row("", "全省 total", totals))
        let header = ["city", "city_name"] + meta.classes + ["total"]
        return TextTable(header: header, rows: rows, numericColumns: Set(2..<(header.count)))
    }

    /// Per tag family, in catalog order: its dimension, how many tags, and their coverage.
    /// - Complexity: reads the metadata only (coverage is counted when the store is written).
    public static func familyCoverageValues(_ reader: StoreReader) -> [FamilyCoverage] {
        let meta = reader.meta
        var order: [String] = []
        var byFamily: [String: (dimension: String, dimensionZh: String, coverages: [Double])] = [:]
        let n = Double(Swift.max(1, meta.enterprises))
        for tag in meta.tags {
            guard let c = reader.columnIndex[tag.id] else { continue }
            if byFamily[tag.family] == nil {
                order.append(tag.family)
                byFamily[tag.family] = (tag.dimension, tag.dimensionZh, [])
            }
            byFamily[tag.family]!.coverages.append(Double(meta.columns[c].filled) / n)
        }
        return order.map { f in
            let (dimension, dimensionZh, cov) = byFamily[f]!
            return FamilyCoverage(
                family: f, dimension: dimension, dimensionZh: dimensionZh, tags: cov.count, mean: cov.reduce(0, +) / Double(cov.count), min: cov.min()!,
                max: cov.max()!, emptyTags: cov.filter { $0 == 0 }.count)
        }
    }

    /// Per tag family: its dimension, how many tags, and their coverage (share of enterprises with a value;
    /// for booleans, share true): mean, lowest and highest, and how many tags have no coverage at all.
    /// - Complexity: reads the metadata only (coverage is counted when the store is written).
    public static func familyCoverage(_ reader: StoreReader) -> TextTable {
        func pct(_ v: Double) -> String { String(format: "%.1f%%", v * 100) }
        let rows = familyCoverageValues(reader).map { f -> [String] in
            [f.family, f.dimension, String(f.tags), pct(f.mean), pct(f.min), pct(f.max), String(f.emptyTags)]
        }
        return TextTable(
            header: ["family", "dimension", "tags", "mean_coverage", "min", "max", "empty_tags"], rows: rows,
            numericColumns: [2, 3, 4, 5, 6])
    }
}
