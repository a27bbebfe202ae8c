import ArgumentParser
import Model

extension ModelCommand {
    /// `digitag model report`: the back-test of the classes.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Problem-discovery rate per class and score decile, AUC/KS, PSI between runs: the classes against the inspections that followed.",
            discussion: """
                Every published run under --runs is joined with the inspections dated in the --window-months after its as-of date (the records of the inspections source, market/inspections*.csv, in --input or the latest run's input, and any --results file in the same format). One inspection is one enterprise visited on one day; it found a problem when any item's result is not no_problem.

                Random (双随机) inspections are reported apart from targeted ones: only random inspections estimate a class's problem rate without bias. Rates come with 95% Wilson intervals, the AUC with a seeded bootstrap interval (the same on every run of the command). With --samples, the draws' ledgers give province-wide Horvitz–Thompson estimates from their inclusion probabilities.

                Example:
                  digitag model report --runs runs --window-months 12
                  digitag model report --runs runs --format json > backtest.json
                """)

        @Option(help: "The runs directory: every published run in it is back-tested.") var runs = "runs"
        @Option(name: .customLong("run"), help: "Only this run (its as-of date, YYYY-MM-DD); repeat for several.") var only: [String] = []
        @Option(help: "The input directory whose market/inspections*.csv are the outcomes (default: the latest run's input).") var input: String?
        @Option(help: "More inspection records in the inspections source format (uscc,inspected_on,item,random,result); repeatable.")
        var results: [String] = []
        @Option(help: "Sample folders (samples/<task>) whose ledgers give Horvitz–Thompson estimates; repeatable.") var samples: [String] = []
        @Option(name: .customLong("window-months"), help: "An inspection counts for a run when it falls in this many months after its as-of date.")
        var windowMonths = 12
        @Option(help: "Output format: text or json.") var format: Format = .text

        enum Format: String, ExpressibleByArgument, CaseIterable { case text, json }

        func validate() throws {
            guard (1...120).contains(windowMonths) else { throw ValidationError("--window-months must be between 1 and 120") }
        }

        func run() throws {
            try reportingFailures {
                let data = try BackTestInput.load(runsRoot: runs, only: only, input: input, results: results, windowMonths: windowMonths)
                let weighted = try LedgerEstimates.estimate(samples: samples, runs: data.runs, visits: data.visits, windowMonths: windowMonths)
                let report = BackTestReport.make(runs: data.runs, units: data.units, windowMonths: windowMonths, weighted: weighted)
                switch format {
                case .text: print(report.text(), terminator: "")
                case .json: print(try report.json(), terminator: "")
                }
            }
        }
    }
}
