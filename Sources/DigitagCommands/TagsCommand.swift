import ArgumentParser

/// `digitag tags`: the tag catalog, its checks, its statistics on a run and its SQL twin.
struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "List, show and check the tag catalog.",
        subcommands: [List.self, Show.self, Lint.self, Stats.self, SQL.self])
}
