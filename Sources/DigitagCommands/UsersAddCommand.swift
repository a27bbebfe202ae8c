import ArgumentParser
import DigiTagBase
import Foundation
import WebApp

#if canImport(Glibc)
    import Glibc
#endif

/// `digitag users add`: adds (or resets) a user with a role and a region; the password is typed twice and
/// never echoed, and only its bcrypt hash is stored.
struct UsersAddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Add a user (or set a user's password, role and region) in the users file.",
        discussion: """
            Roles: \(Role.shipped.map { "\($0.id) (\($0.level.rawValue))" }.joined(separator: ", ")).
            The region is the province (37), a city (37xx) or a county (37xxxx), as the role requires.
            The password is read twice from the terminal without echo; when standard input is not a terminal,
            two lines are read from it (for scripts and tests).
            """)

    @Argument(help: "The user name (letters, digits, '.', '_', '-').")
    var name: String

    @Option(help: "The role.")
    var role: String

    @Option(help: "The region code: 37, 37xx or 37xxxx.")
    var region: String

    @Option(help: "The users file (created if missing).")
    var users = "users.yaml"

    @Option(help: .hidden)
    var cost: UInt8 = 12

    func validate() throws {
        guard User.isValidName(name) else { throw ValidationError("'\(name)' is not a valid user name (letters, digits, '.', '_', '-')") }
        guard let r = Role.named(role) else {
            throw ValidationError("unknown role '\(role)': one of \(Role.shipped.map(\.id).joined(separator: ", "))")
        }
        if case .failure(let e) = UserDirectory.check(region: region, for: r) { throw ValidationError(e.message) }
        if !(4...31).contains(cost) { throw ValidationError("--cost is between 4 and 31") }
    }

    func run() throws {
        try reportingFailures {
            var directory = UserDirectory(path: users, users: [])
            if FileSystem.exists(users) { directory = try UserDirectory.load(users) }
            let first = try Self.readPassword(prompt: "password for \(name): ")
            let second = try Self.readPassword(prompt: "again: ")
            guard first == second else { throw ServeError(.usage, "the two passwords differ: nothing changed") }
            guard first.count >= 10 else { throw ServeError(.usage, "a password has at least 10 characters: nothing changed") }
            let r = Role.named(role)!
            let scope = try UserDirectory.check(region: region, for: r).get()
            let existed = directory.user(name) != nil
            try directory.set(User(name: name, passwordHash: UserDirectory.hash(password: first, cost: cost), role: r, region: scope))
            print("\(existed ? "updated" : "added") \(name): \(r.id) (\(r.nameZh)), region \(scope.code), in \(users)")
        }
    }

    /// One line from the terminal with echo off, or from standard input when it is not a terminal.
    static func readPassword(prompt: String) throws -> String {
        let tty = isatty(0) == 1
        var saved = termios()
        if tty {
            FileHandle.standardError.write(Data(prompt.utf8))
            tcgetattr(0, &saved)
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSANOW, &silent)
        }
        defer {
            if tty {
                tcsetattr(0, TCSANOW, &saved)
                FileHandle.standardError.write(Data("\n".utf8))
            }
        }
        guard let line = readLine(strippingNewline: true) else { throw ServeError(.usage, "no password given: nothing changed") }
        return line
    }
}
