import ArgumentParser

/// `digitag users`: the people who may sign in to `digitag serve`.
struct UsersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Manage the users file of 'digitag serve'.", subcommands: [UsersAddCommand.self])
}
