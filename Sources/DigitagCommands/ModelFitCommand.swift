import ArgumentParser
import DigiTagBase
import Engine
import Foundation
import Model

extension ModelCommand {
    /// `digitag model fit`: a proposed scorecard from the inspection outcomes.
    struct Fit: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fit a scorecard to the inspection outcomes and write a proposed risk.yaml with a held-out comparison.",
            discussion: """
                Joins runs and inspections as `model report` does, and learns from the random inspections only. The last --holdout-runs runs are held out (a time split): the fit sees the earlier ones. Every boolean, numeric and categorical tag is a candidate: binned monotonically, weighed by its information value (IV) and weight of evidence (WoE), screened for correlation with stronger candidates, then combined by an L2-regularised logistic regression (Newton/IRLS). Unless --max-terms and --lambda are given, they are chosen on an inner time split: fitted on the training runs but the last, validated on the last training run; the held-out runs stay untouched. Points are scaled so that --pdo points double the odds of a problem; class cut-offs keep the current scorecard's class shares as closely as whole-number cut-offs can.

                The proposed model goes to --out, in the format of Pipelines/risk.yaml, each entry commented with its IV, coefficient and bins; the current model's hard rules are copied unchanged. Nothing replaces the live model: an operator adopts the proposal by copying it, and the next run's manifest records the model.

                Example:
                  digitag model fit --runs runs --out proposed-risk.yaml
                """)

        @Option(help: "The runs directory: its published runs, oldest first.") var runs = "runs"
        @Option(help: "The input directory whose market/inspections*.csv are the outcomes (default: the latest run's input).") var input: String?
        @Option(help: "More inspection records in the inspections source format; repeatable.") var results: [String] = []
        @Option(name: .customLong("window-months"), help: "An inspection counts for a run when it falls in this many months after its as-of date.")
        var windowMonths = 12
        @Option(name: .customLong("holdout-runs"), help: "Hold out the last this-many runs for the comparison.") var holdoutRuns = 1
        @Option(
            name: .customLong("max-terms"),
            help: "At most this many tags in the scorecard (default: chosen among 8, 16, 24, 32, 48 on an inner time split).")
        var maxTerms: Int?
        @Option(name: .customLong("min-iv"), help: "Leave out tags whose information value is below this.") var minIV = 0.02
        @Option(name: .customLong("max-correlation"), help: "Leave out a tag correlated above this with a stronger chosen one.")
        var maxCorrelation = 0.7
        @Option(help: "L2 penalty of the logistic regression (default: chosen among 1, 3, 10, 30 on an inner time split).") var lambda: Double?
        @Option(help: "Points that double the odds of a problem.") var pdo = 20.0
        @Option(help: "Write the proposed risk model here (never the live Pipelines/risk.yaml).") var out = "proposed-risk.yaml"
        @Option(help: "Output format of the summary: text or json.") var format: ModelCommand.Report.Format = .text

        func validate() throws {
            guard (1...120).contains(windowMonths) else { throw ValidationError("--window-months must be between 1 and 120") }
            guard holdoutRuns >= 1 else { throw ValidationError("--holdout-runs must be at least 1") }
            guard (maxTerms ?? 1) >= 1 else { throw ValidationError("--max-terms must be at least 1") }
            guard (lambda ?? 0) >= 0 else { throw ValidationError("--lambda must not be negative") }
            guard pdo > 0 else { throw ValidationError("--pdo must be positive") }
        }

        func run() throws {
            try reportingFailures {
                // Never over a live model: an existing file at --out must be an earlier proposal.
                if let existing = try? String(contentsOfFile: out, encoding: .utf8), !existing.hasPrefix(ProposedRiskFile.marker) {
                    throw InputError(file: out, message: "this file is not a proposal written by `digitag model fit`: the fit never overwrites a live model; choose another --out")
                }
                let data = try BackTestInput.load(runsRoot: runs, input: input, results: results, windowMonths: windowMonths)
                var options = FitOptions()
                options.holdoutRuns = holdoutRuns
                options.maxTerms = maxTerms
                options.minInformationValue = minIV
                options.maxCorrelation = maxCorrelation
                options.lambda = lambda
                options.pointsToDoubleOdds = pdo
                let columns = try CandidateColumns.load(runs: data.runs)
                let fit = try ScorecardFit.fit(runs: data.runs, units: data.units, columns: columns, options: options)
                let current = data.runs[data.runs.count - options.holdoutRuns - 1].definition.risk
                let text = ProposedRiskFile.text(fit, current: current, generatedFrom: "\(data.runs.count) runs in \(runs)")
                try FileSystem.writeAtomically(Data(text.utf8), to: out)
                switch format {
                case .text: print(fit.text() + "\n拟议模型已写入 Proposed model written to \(out) (the live model is unchanged).")
                case .json: print(try fit.json(), terminator: "")
                }
            }
        }
    }
}
