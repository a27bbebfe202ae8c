import ArgumentParser
import RunModel

extension RunsCommand {
    /// `digitag runs [list]`: one line per published run.
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
                    print(
                        "\(r.isCurrent ? "*" : " ") \(r.name)  enterprises \(m.map { String($0.enterprises) } ?? "?")  "
                            + "tags \(m.map { String($0.tags) } ?? "?")  rejected rows \(m.map { String($0.rowsRejected) } ?? "?")  "
                            + "classes \(m?.classCountsText ?? "?")")
                }
            }
        }
    }
}
