import ArgumentParser
import WebApp

/// `digitag audit verify`: checks the hash chain line by line, across rotated files (exit 7 naming the first
/// broken line).
struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that no line of an audit log was edited, inserted or deleted.",
        discussion: """
            Prints the number of entries and the head (the SHA-256 of the last line): keep the head somewhere else
            (a daily mail, a ticket) so that the last lines are pinned too. Exit 7 names the first line whose chain
            does not hold. Rotated files (audit.log.2025-01-06, …) are checked as one chain when given oldest first,
            or all of them with --rotated: a file missing between two others breaks it.
            """)

    @Argument(help: "The audit log files, oldest first.")
    var files: [String] = ["audit.log"]

    @Flag(help: "Check the log with all its rotated files (<log>.<day>), in order; give the current log only.")
    var rotated = false

    func validate() throws {
        if rotated && files.count != 1 { throw ValidationError("--rotated takes the current log alone, e.g. 'audit verify --rotated audit.log'") }
    }

    func run() throws {
        try reportingFailures {
            let set = rotated ? AuditRotation.files(of: files[0]) : files
            let checked = try AuditChain.verify(files: set)
            let what = set.count == 1 ? set[0] : "\(set.first!) … \(set.last!) (\(set.count) files)"
            print("\(what): \(checked.entries.count) entries, chain intact, head \(checked.head)")
            if let earlier = checked.continues {
                print("\(set[0]) continues \(earlier), not given: give the files oldest first to check across them")
            }
        }
    }
}
