import ArgumentParser
import Foundation
import Report
import RunModel

/// `digitag diff`: what changed between two published runs.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two runs: class moves, new abnormal/dishonest listings, tag coverage moves.")

    @Argument(help: "The earlier run directory.") var from: String
    @Argument(help: "The later run directory.") var to: String
    // Not `PipelineOption`: its help says what a diff takes from the pipeline.
    @Option(help: "The pipeline file (for the catalog and the class order).") var pipeline = PipelineOption.defaultPath
    @Option(help: "Report tags whose coverage moved by more than this many percentage points.") var coverage: Double = 2
    @Option(help: "Also write every class change to this CSV file.") var csv: String?
    @Option(help: "Output format: text, or json (the same content as a run's changes.json).") var format: DiffFormat = .text

    enum DiffFormat: String, ExpressibleByArgument, CaseIterable { case text, json }

    func run() throws {
        try reportingFailures {
            let d = try PipelineDefinition.load(pipeline)
            let diff = try RunDiff.compare(from, to, catalog: d.catalog, classOrder: d.risk.classes.map(\.code), coverageThreshold: coverage / 100)
            switch format {
            case .text: print(diff.text)
            case .json:
                let summary = ChangeSummary(diff, from: from, to: to, coverageThreshold: coverage / 100)
                print(String(decoding: try summary.encoded(), as: UTF8.self))
            }
            if let csv { try diff.writeClassChanges(to: csv) }
        }
    }
}
