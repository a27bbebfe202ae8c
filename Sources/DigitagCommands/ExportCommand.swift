import ArgumentParser

/// `digitag export`: a published run's values as files for other tools.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write a published run's values as files for other tools.", subcommands: [ExportTagsCommand.self])
}
