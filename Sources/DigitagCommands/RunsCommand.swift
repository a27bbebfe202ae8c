import ArgumentParser

/// `digitag runs`: the published runs of an output directory.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Published runs: list them.", subcommands: [List.self], defaultSubcommand: List.self)
}
