import ArgumentParser
import Foundation
import Query

extension TagsCommand {
    /// `digitag tags stats`: which tags carry information on a run's data.
    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Coverage of every tag on a run, and the tags that are constant or duplicate another.",
            discussion: """
                Coverage is the share of enterprises for which a boolean tag is true, or any other tag has a value.
                A constant tag has the same value for every enterprise; a duplicate has exactly the values of an
                earlier tag. Both carry no information on this run's data.
                """)
        @OptionGroup var pipeline: RunPipelineOption
        @OptionGroup var published: PublishedRunOption
        @Option(help: "Also write every tag's statistics to this CSV file.") var csv: String?
        @Option(help: "Read the values from this file in tags.csv's layout ('digitag export tags') instead of the run's tags.csv.")
        var tags: String?

        func run() throws {
            try reportingFailures {
                let d = try pipeline.load(run: published.directory)
                let s = try TagStatistics.compute(run: published.directory, catalog: d.catalog, tagsFile: tags)
                for e in s.entries where e.constant || e.duplicateOf != nil {
                    print("\(e.constant ? "constant " : "duplicate")  \(e.id)" + (e.duplicateOf.map { " = \($0)" } ?? ""))
                }
                let pct = String(format: "%.1f%%", s.uninformativeShare * 100)
                print(
                    "\(s.entries.count) tags over \(s.enterprises) enterprises: \(s.constantCount) constant, "
                        + "\(s.duplicateCount) duplicates (\(pct) carry no information)")
                if let csv {
                    try s.writeCSV(to: csv)
                    print("written: \(csv)")
                }
            }
        }
    }
}
