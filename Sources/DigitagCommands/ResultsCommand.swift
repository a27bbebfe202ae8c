import ArgumentParser

/// `digitag results`: what the inspections found, back into the system.
struct ResultsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "results",
        abstract: "Inspection results back in (一公开): the public results file and the next run's records.",
        subcommands: [Import.self])
}
