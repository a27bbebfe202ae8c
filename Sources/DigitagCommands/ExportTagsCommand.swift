import ArgumentParser
import Foundation
import Query

/// `digitag export tags`: tags.csv (or a slice of it) from a run's profile store.
struct ExportTagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "Write a run's tag values as CSV (the layout of tags.csv), from its profile store.",
        discussion: """
            A nightly run at provincial scale writes no tags.csv (see 'digitag run --tags-csv'): the profile store holds \
            the same values. This command writes them when a tool needs the file: every tag of every enterprise gives \
            the same bytes the run writes with --tags-csv always; --where keeps the enterprises for which a condition \
            holds (the language of 'digitag query'), --columns keeps some tags. Columns: uscc, then the tags in \
            catalog order; values as tags.csv writes them (booleans 1/0, numbers rounded to 4 decimals, dates \
            YYYY-MM-DD, categories as text, empty for null); described in the run's tag_catalog.csv.

            Examples:
              digitag export tags --run runs/current --out tags.csv
              digitag export tags --where "abnormal.listed and city == '济南市'" --columns "abnormal.*,tax.rating" --out jinan.csv
              digitag export tags --out tags.csv.zst          (zstd-compressed: DuckDB reads it as it is)
            """)

    @OptionGroup var published: PublishedRunOption

    @OptionGroup var pipeline: RunPipelineOption

    @Option(name: .customLong("where"), help: "Only the enterprises for which this condition holds (tag language, as in 'digitag query').")
    var condition: String?

    @Option(help: "Comma-separated tag ids, or prefixes ending in * (e.g. tax.*); default: every tag.")
    var columns: String?

    @Option(help: "The file to write; a name ending in .zst is written zstd-compressed.")
    var out: String

    func run() throws {
        try reportingFailures {
            let definition = try pipeline.load(run: published.directory)
            let summary = try TagExport.write(
                run: published.directory, definition: definition, condition: condition, columns: columns.map(QuerySplit.names), to: out)
            print("exported \(summary.rows) enterprises × \(summary.columns) columns to \(out)")
        }
    }
}
