import ArgumentParser
import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Inspection
import Sampling

struct ResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Inspection results back in (一公开): the public results file and the next run's records.",
        subcommands: [ImportResults.self])
}

struct ImportResults: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a task's inspection results: write the publishable results.csv and the records the next run reads.",
        discussion: """
            The results file has the columns uscc,item,inspected_on,completed_on,results: one row per inspected item of an
            enterprise of the task's plan; results holds one or more of no_problem, corrected, not_published,
            not_cooperating, unreachable, activity_not_found, referred (or their published wording), separated by ';'.
            Every problem is listed with its line and field, and nothing is written (exit 3).
            Writes <sample>/results.csv for publication (the results' published wording, the inspection's dates and the
            date by which it must be published: 20 working days after completed_on; weekends are skipped, public holidays
            only with --holidays) and <input>/market/inspections-<task id>.csv, one row per result, which the next
            `digitag run` reads with the inspections source. Import the task's whole results file each time: both files
            are rewritten.
            """)

    @Argument(help: "The sample directory, e.g. samples/SD-2025-GEN-01.")
    var sample: String

    @Option(help: "The results file (CSV: uscc,item,inspected_on,completed_on,results).")
    var file: String

    @Option(help: "The input directory the next run reads (default: the input of the run the sample was drawn from).")
    var input: String?

    @Option(help: "Public holidays and make-up working days: a CSV date,kind with kind holiday or workday.")
    var holidays: String?

    func run() throws {
        try reportingFailures {
            let s = try ResultsImporter.run(ResultsImportRequest(sample: sample, results: file, input: input, holidays: holidays))
            let enterprises = Set(s.inspections.map(\.uscc)).count
            print("task \(s.taskID): \(s.inspections.count) inspected items of \(enterprises) enterprises imported")
            var counts: [InspectionResultCode: Int] = [:]
            for i in s.inspections { for c in i.results { counts[c, default: 0] += 1 } }
            let shown = InspectionResultCode.allCases.compactMap { c in counts[c].map { "\(c.rawValue) \($0)" } }
            print("  results: " + shown.joined(separator: ", "))
            if let last = s.inspections.map(\.publishBy).max(), let first = s.inspections.map(\.publishBy).min() {
                let calendar = s.workingDays.source.map { "holidays from \($0)" } ?? "weekends skipped; public holidays not modelled (--holidays)"
                print("  publish by: \(first == last ? first.description : "\(first) … \(last)") (20 working days after completion; \(calendar))")
            }
            if !s.pending.isEmpty {
                let shown = s.pending.prefix(5).joined(separator: ", ")
                print("  no result yet for \(s.pending.count) enterprise\(s.pending.count == 1 ? "" : "s") of the plan: \(shown)\(s.pending.count > 5 ? ", …" : "")")
            }
            print("written: \(s.publicFile) (publishable), \(s.recordsFile) (\(s.records) records for the next run)")
        }
    }
}
