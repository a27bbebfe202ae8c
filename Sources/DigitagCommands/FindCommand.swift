import ArgumentParser
import DigiTagBase
import Foundation
import Query

/// `digitag find`: enterprises by any part of their Chinese name.
struct FindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "find",
        abstract: "Find enterprises of a run by any part of their name (exact, then prefix, then inside).",
        discussion: """
            Prints USCC, name, city and county (codes and names) and risk class of each match: names equal to TEXT
            first, then names starting with it, then names containing it; shorter names first within each. Uses the
            run's name index (store/names.idx), so it reads a few lists, not every name.
            """)

    @Argument(help: "Any part of an enterprise's name, e.g. 华力.")
    var text: String

    @OptionGroup var published: PublishedRunOption

    @Option(help: "Show at most this many matches.")
    var limit = 20

    @OptionGroup var output: TableOrJSONOption

    @Flag(help: "Print how long the search took (to standard error).")
    var timing = false

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("give a part of a name to look for")
        }
    }

    func run() throws {
        try reportingFailures {
            let start = Date()
            let r = try EnterpriseFinder.find(text, run: published.directory, limit: limit)
            if timing { printError(String(format: "timing: find %.1f ms", Date().timeIntervalSince(start) * 1000)) }
            let table = EnterpriseFinder.table(r)
            if output.format == .json {
                print("{\"total\": \(r.total), \"found\": \(table.json())}")
                return
            }
            let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard r.total > 0 else {
                print("no enterprise of \(published.directory) has '\(query)' in its name")
                return
            }
            print(table.text())
            let more = r.total > r.found.count ? " (first \(r.found.count) shown; --limit for more)" : ""
            print("\(r.total) enterprise\(r.total == 1 ? "" : "s") with '\(query)' in the name\(more)")
        }
    }
}
