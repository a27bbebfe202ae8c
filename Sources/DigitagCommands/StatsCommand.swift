import DigiTagIO
import ArgumentParser
import Foundation
import ProfileStore

/// `digitag stats`: class distribution and tag coverage of a run.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Class distribution by city and tag coverage per family, from a run's profile store.")

    @OptionGroup var published: PublishedRunOption

    @OptionGroup var output: TableOrJSONOption

    func run() throws {
        try reportingFailures {
            let reader = try StoreReader(run: published.directory)
            let classes = try StoreStats.classesByCity(reader)
            let coverage = StoreStats.familyCoverage(reader)
            if output.format == .json {
                print(try StatsJSON.text(reader))
            } else {
                print("run \(published.directory) (as of \(reader.meta.asOf)), \(reader.meta.enterprises) enterprises")
                print("")
                print("风险类别 by city 按地市")
                print(classes.text())
                print("")
                print("标签覆盖 coverage per tag family (share of enterprises with a value; booleans: share true)")
                print(coverage.text())
            }
        }
    }
}

/// `digitag stats --format json`: the same content as the tables, as numbers (counts, and shares as
/// fractions between 0 and 1), for programs; the tables' "173 (67.8%)" is for people.
enum StatsJSON {
    static func text(_ reader: StoreReader) throws -> String {
        let meta = reader.meta
        let cities = try StoreStats.classCountsByCity(reader)
        func q(_ s: String) -> String { TextTable.jsonString(s) }
        func number(_ x: Double) -> String { String(format: "%.6g", x) }
        func counts(_ c: [Int]) -> String {
            "{" + zip(meta.classes, c).map { "\(q($0)): \($1)" }.joined(separator: ", ") + "}"
        }
        let totals = cities.reduce(into: [Int](repeating: 0, count: meta.classes.count)) { acc, c in
            for k in c.counts.indices { acc[k] += c.counts[k] }
        }
        var lines = ["{\"as_of\": \(q(meta.asOf)), \"enterprises\": \(meta.enterprises), \"classes\": [\(meta.classes.map(q).joined(separator: ", "))],"]
        lines.append("\"classes_by_city\": [")
        lines.append(
            cities.map { "  {\"city\": \(q($0.cityCode)), \"city_name\": \(q($0.cityName)), \"counts\": \(counts($0.counts)), \"total\": \($0.total)}" }
                .joined(separator: ",\n"))
        lines.append("],")
        lines.append("\"class_totals\": \(counts(totals)),")
        lines.append("\"family_coverage\": [")
        lines.append(
            StoreStats.familyCoverageValues(reader).map { f in
                "  {\"family\": \(q(f.family)), \"dimension\": \(q(f.dimension)), \"tags\": \(f.tags), \"mean_coverage\": \(number(f.mean)), "
                    + "\"min\": \(number(f.min)), \"max\": \(number(f.max)), \"empty_tags\": \(f.emptyTags)}"
            }.joined(separator: ",\n"))
        lines.append("]}")
        return lines.joined(separator: "\n")
    }
}
