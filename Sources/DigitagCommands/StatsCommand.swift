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
                print("{\"as_of\": \(TextTable.jsonString(reader.meta.asOf)), \"enterprises\": \(reader.meta.enterprises),")
                print("\"classes_by_city\": \(classes.json()),")
                print("\"family_coverage\": \(coverage.json())}")
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
