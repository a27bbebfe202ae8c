import ArgumentParser
import DigiTagBase
import DigiTagIO
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

    @Option(help: "The pipeline file (names the sources).")
    var pipeline = "Pipelines/shandong.yaml"

    @Option(help: "Input directory, as given to `digitag run`.")
    var input: String

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        try reportingFailures {
            let definition = try PipelineDefinition.load(pipeline)
            let files = Array(try Ingest.inputFiles(sources: definition.sources, input: input).joined())
                .sorted { FileSystem.size($0) > FileSystem.size($1) }
            let started = Date()
            let counts = try Parallel.map(count: files.count, threads: threads) { try CSVReader.tokenize(path: files[$0]) }
            let seconds = Date().timeIntervalSince(started)
            let total = counts.reduce(into: TokenizeCount()) {
                $0.storedBytes += $1.storedBytes
                $0.csvBytes += $1.csvBytes
                $0.rows += $1.rows
                $0.fields += $1.fields
            }
            print(
                String(
                    format: "files %d, stored %.1f MB, CSV %.1f MB, rows %d, fields %d, %.3f s (%.0f MB/s of CSV, %.1f M rows/s)",
                    files.count, Double(total.storedBytes) / 1e6, Double(total.csvBytes) / 1e6, total.rows, total.fields, seconds,
                    Double(total.csvBytes) / 1e6 / seconds, Double(total.rows) / 1e6 / seconds))
        }
    }
}
