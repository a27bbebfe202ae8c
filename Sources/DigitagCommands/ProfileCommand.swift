import DigiTagBase
import ArgumentParser
import Foundation
import ProfileStore
import Query

/// `digitag profile`: one enterprise from a run's profile store.
struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Show one enterprise from a run's profile store: registration, class, score, reasons and every tag.",
        discussion: """
            Reads only the blocks of the store that hold this enterprise. Tags are grouped by dimension and family,
            with their Chinese names; those that are true or have a value come first, the rest (false or empty) only
            with --all. --changes adds what changed since the previous run (the latest other run under
            the same runs folder with an earlier as-of date).
            """)

    @OptionGroup var enterprise: USCCArgument

    @OptionGroup var published: PublishedRunOption

    @OptionGroup var output: TableOrJSONOption

    @Flag(help: "Show every tag: also those that are false or empty (listed after the others).")
    var all = false

    @Flag(help: "Also show what changed since the previous run.")
    var changes = false

    @Flag(help: "Print how long opening the store and the lookup took (to standard error).")
    var timing = false

    func run() throws {
        try reportingFailures {
            let start = Date()
            let reader = try StoreReader(run: published.directory)
            let opened = Date()
            let found = try EnterpriseProfile.lookup(uscc: enterprise.key, reader: reader, run: published.directory)
            if timing {
                printError(
                    String(
                        format: "timing: open %.1f ms, lookup %.1f ms", opened.timeIntervalSince(start) * 1000,
                        Date().timeIntervalSince(opened) * 1000))
            }
            guard let profile = found else {
                printError("digitag: no enterprise \(enterprise.code) in \(published.directory) (the code is valid, check character included, but it is not in this run)")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
            let diff = changes ? try ProfileChanges.compare(profile) : nil
            print(output.format == .json ? ProfileReport.json(profile, changes: diff) : ProfileReport.text(profile, changes: diff, all: all))
        }
    }
}
