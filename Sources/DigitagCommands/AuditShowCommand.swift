import ArgumentParser
import DataContract
import DigiTagBase
import WebApp

/// `digitag audit show`: the entries of an audit log, filtered by user, enterprise and day (after verifying it).
struct AuditShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print an audit log's entries, after checking its chain.")

    @Argument(help: "The audit log files, oldest first (rotated files and the current one).")
    var files: [String] = ["audit.log"]

    @Option(help: "Only this user's entries.")
    var user: String?

    @Option(help: "Only entries about this enterprise.")
    var uscc: String?

    @Option(help: "Only entries on or after this day (YYYY-MM-DD).")
    var since: Day?

    @Option(help: "Output format: table or json.")
    var format: String = "table"

    func validate() throws {
        if let uscc, !USCC.isValid(uscc) { throw ValidationError("'\(uscc)' is not a valid USCC") }
        if !["table", "json"].contains(format) { throw ValidationError("--format is table or json") }
    }

    func run() throws {
        try reportingFailures {
            let table = AuditFilter(user: user, uscc: uscc, since: since).table(try AuditChain.verify(files: files).entries)
            print(format == "json" ? table.json() : table.text())
        }
    }
}
