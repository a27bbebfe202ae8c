import ArgumentParser
import DigiTagBase
import Foundation
import Inspection

extension ResultsCommand {
    /// `digitag results import`: a task's results file into the publishable results and the next run's records.
    struct Import: ParsableCommand {
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
                are rewritten. Inspection and completion dates after today (this machine's local date) are refused. A file
                with a header and no rows is refused, since it would clear the results imported before; --replace-all clears
                them on purpose.
                """)

        @Argument(help: "The sample directory, e.g. samples/SD-2025-GEN-01.")
        var sample: String

        @Option(help: "The results file (CSV: uscc,item,inspected_on,completed_on,results).")
        var file: String

        @Option(help: "The input directory the next run reads (default: the input of the run the sample was drawn from).")
        var input: String?

        @Option(help: "Public holidays and make-up working days: a CSV date,kind with kind holiday or workday.")
        var holidays: String?

        @Flag(help: "Accept a results file with no rows: clears the results imported earlier for this task.")
        var replaceAll = false

        /// Today in the local time zone: the one place the import reads the clock.
        static func today() -> Day {
            let c = Calendar.current.dateComponents([.year, .month, .day], from: Date())
            return Day(year: c.year!, month: c.month!, day: c.day!)!
        }

        func run() throws {
            try reportingFailures {
                let s = try ResultsImporter.run(ResultsImportRequest(
                        sample: sample, results: file, input: input, holidays: holidays, today: Self.today(), replaceAll: replaceAll))
                print("task \(s.taskID): \(s.inspections.count) inspected items of \(s.enterprises) enterprises imported")
                print("  results: " + s.resultCounts.map { "\($0.code.rawValue) \($0.count)" }.joined(separator: ", "))
                if let publishBy = s.publishBy {
                    let range = publishBy.lowerBound == publishBy.upperBound ? "\(publishBy.lowerBound)" : "\(publishBy.lowerBound) … \(publishBy.upperBound)"
                    let calendar = s.workingDays.source.map { "holidays from \($0)" } ?? "weekends skipped; public holidays not modelled (--holidays)"
                    print("  publish by: \(range) (\(ResultsImporter.publishWithinWorkingDays) working days after completion; \(calendar))")
                }
                if !s.pending.isEmpty {
                    let shown = s.pending.prefix(5).joined(separator: ", ")
                    print("  no result yet for \(s.pending.count) enterprise\(s.pending.count == 1 ? "" : "s") of the plan: \(shown)\(s.pending.count > 5 ? ", …" : "")")
                }
                print("written: \(s.publicFile) (publishable), \(s.recordsFile) (\(s.records) records for the next run)")
            }
        }
    }
}
