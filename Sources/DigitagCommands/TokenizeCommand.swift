import ArgumentParser
import Engine
import Foundation
import RunModel

/// `digitag tokenize`: libcsv alone over a run's input files, the floor of what reading them can cost.
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Time libcsv alone over the input files (the benchmark's tokenizing floor).",
        discussion: """
            Reads every file a run would read (the same sources, .csv and .csv.zst, part files) with libcsv \
            and callbacks that only count rows and fields: no validation, no hashing, no storage. Files are \
            spread over --threads like a run's ingest. `make bench` compares a run with this time.
            """)

    // Not `PipelineOption`: its help says what a tokenizing pass takes from the pipeline.
    @Option(help: "The pipeline file (names the sources).")
    var pipeline = PipelineOption.defaultPath

    @Option(help: "Input directory, as given to `digitag run`.")
    var input: String

    @OptionGroup var workers: ThreadsOption

    func run() throws {
        try reportingFailures {
            let definition = try PipelineDefinition.load(pipeline)
            let files = Array(try Ingest.inputFiles(sources: definition.sources, input: input).joined())
            let started = Date()
            let total = try Ingest.tokenize(files, threads: workers.threads)
            let seconds = Date().timeIntervalSince(started)
            print(
                String(
                    format: "files %d, stored %.1f MB, CSV %.1f MB, rows %d, fields %d, %.3f s (%.0f MB/s of CSV, %.1f M rows/s)",
                    files.count, Double(total.storedBytes) / 1e6, Double(total.csvBytes) / 1e6, total.rows, total.fields, seconds,
                    Double(total.csvBytes) / 1e6 / seconds, Double(total.rows) / 1e6 / seconds))
        }
    }
}
