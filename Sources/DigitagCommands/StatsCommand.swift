import DigiTagIO
import ArgumentParser
import Foundation
import ProfileStore

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Class distribution by city and tag coverage per family, from a run's profile store.")

    @Option(name: .customLong("run"), help: "A published run directory.")
    var runDirectory = "runs/current"

    @Option(help: "Output format: table or json.")
    var format: StoreOutputFormat = .table

    func validate() throws {
        if format == .csv { throw ValidationError("--format csv is not available for stats: use table or json") }
    }

    func run() throws {
        try reportingFailures {
            let reader = try StoreReader(run: runDirectory)
            let classes = try StoreStats.classesByCity(reader)
            let coverage = StoreStats.familyCoverage(reader)
            if format == .json {
                print("{\"as_of\": \(TextTable.jsonString(reader.meta.asOf)), \"enterprises\": \(reader.meta.enterprises),")
                print("\"classes_by_city\": \(classes.json()),")
                print("\"family_coverage\": \(coverage.json())}")
            } else {
                print("run \(runDirectory) (as of \(reader.meta.asOf)), \(reader.meta.enterprises) enterprises")
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
