import ArgumentParser
import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Generator

/// `digitag generate`: synthetic source files for SampleData and benchmarks.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write realistic synthetic source files (deterministic from --seed).",
        discussion: """
            Produces market/, tax/ and credit/ CSV files (tax/filings as .csv.zst) and inspectors.csv for --enterprises enterprises spread over the province's regions. The same arguments always give the same bytes; used for SampleData and for benchmarks at millions of enterprises.
            """)

    @Option(help: "How many enterprises.")
    var enterprises: Int

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 20_241_231

    @Option(help: "Output directory.")
    var out: String

    @Option(name: .customLong("as-of"), help: "The data's 'today' (YYYY-MM-DD; a few records are dated up to 90 days later).")
    var asOf = Day(year: 2024, month: 12, day: 31)!

    @Option(help: "The pipeline directory holding regions.csv and industries.csv.")
    var pipelines = "Pipelines"

    @Option(
        name: .customLong("filings-parts"),
        help: "Write tax filings as this many files (tax/filings.csv.zst, then tax/filings-2.csv.zst, …), which a run reads in parallel.")
    var filingsParts = 1

    @Flag(
        help: "Also write outcomes/latent.csv: each enterprise's hidden risk and the probabilities its inspections find a problem with (the truth `digitag model report` can be checked against; docs/model.md).")
    var outcomes = false

    func validate() throws {
        guard enterprises >= 1 else { throw ValidationError("--enterprises must be at least 1") }
        guard filingsParts >= 1 else { throw ValidationError("--filings-parts must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let regions = try ReferenceTable.load(
                FileSystem.join(pipelines, "regions.csv"), requiredColumns: ["code", "city_code"])
            let industries = try ReferenceTable.load(
                FileSystem.join(pipelines, "industries.csv"), requiredColumns: ["code", "section"])
            var options = GeneratorOptions(
                enterprises: enterprises, seed: seed, outputDirectory: out, asOf: asOf, regions: regions,
                industries: industries)
            options.filingsParts = filingsParts
            options.outcomes = outcomes
            let showProgress = stderrIsTerminal
            let total = enterprises
            let files = try DataGenerator.generate(options) { done in
                // One line rewritten in place, on a terminal only.
                if showProgress && (done % 10_000 == 0 || done == total) {
                    FileHandle.standardError.write(Data("\r  \(done) of \(total) enterprises".utf8))
                    if done == total { FileHandle.standardError.write(Data("\n".utf8)) }
                }
            }
            for f in files { print("\(f.path): \(f.rows) rows") }
        }
    }
}
