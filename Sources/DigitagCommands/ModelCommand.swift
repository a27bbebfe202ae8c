import ArgumentParser

/// `digitag model`: does the risk model find the problems, and what would find them better.
struct ModelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model",
        abstract: "Back-test the risk classes against inspection outcomes, and fit a proposed scorecard.",
        discussion: """
            `model report` joins each published run's classes and scores with the inspections in the months after its as-of date and shows how often inspections found a problem per class, per score decile, per city and industry, with intervals; AUC, KS and the stability (PSI) of the scores between runs. `model fit` fits a scorecard to the same data and writes a proposed risk.yaml with a held-out comparison: it never replaces the live model.
            """,
        subcommands: [Report.self, Fit.self])
}
