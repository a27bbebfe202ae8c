import ArgumentParser
import WebApp

/// `digitag audit verify`: checks the hash chain line by line (exit 7 naming the first broken line).
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that no line of an audit log was edited, inserted or deleted.",
        discussion: """
            Prints the number of entries and the head (the SHA-256 of the last line): keep the head somewhere else
            (a daily mail, a ticket) so that the last lines are pinned too. Exit 7 names the first line whose chain
            does not hold.
            """)

    @Argument(help: "The audit log file.")
    var file = "audit.log"

    func run() throws {
        try reportingFailures {
            let (entries, head) = try AuditChain.verify(file)
            print("\(file): \(entries.count) entries, chain intact, head \(head)")
        }
    }
}
