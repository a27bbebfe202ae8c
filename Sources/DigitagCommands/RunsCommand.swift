import ArgumentParser
import Foundation
import RunModel

struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Published runs: list them.", subcommands: [List.self], defaultSubcommand: List.self)

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List published runs (oldest first), marking the current one, with their counts.")
        @Option(help: "The runs directory.") var out = "runs"

        func run() throws {
            try reportingFailures {
                let runs = RunHistory.list(root: out)
                if runs.isEmpty { print("no published runs in \(out)") }
                for r in runs {
                    let m = r.manifest
                    let classes = m.map { m in m.classCounts.keys.sorted().map { "\($0) \(m.classCounts[$0]!)" }.joined(separator: ", ") } ?? "?"
                    let rejected = m.map { String($0.sources.reduce(0) { $0 + $1.rowsRejected }) } ?? "?"
                    print(
                        "\(r.isCurrent ? "*" : " ") \(r.name)  enterprises \(m.map { String($0.enterprises) } ?? "?")  "
                            + "tags \(m.map { String($0.tags) } ?? "?")  rejected rows \(rejected)  classes \(classes)")
                }
            }
        }
    }
}
