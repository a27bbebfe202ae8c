import ArgumentParser
import DigiTagBase
import Foundation

/// The `digitag` command: enterprise digital tags, credit-risk classes and double-random inspection draws.
public struct Digitag: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "digitag",
        abstract: "Enterprise digital tags, credit-risk classes and 双随机、一公开 inspection draws.",
        discussion: """
            A nightly run reads market-supervision, tax and public-credit records, computes every tag of the catalog for every enterprise as of a date, scores each enterprise into a risk class (A low … D high) and publishes the results under runs/<as-of>/. Inspection samples are then drawn from a published run, and anyone can verify them.

            Typical use:
              digitag run --as-of 2024-12-31 --input SampleData --out runs
              digitag explain 91370102HANDMADE1C
              digitag sample commit Pipelines/tasks/general-2025.yaml   (before the run: publish the commitment)
              digitag sample --run runs/current
              digitag sample verify samples/SD-2025-GEN-01
              digitag results import samples/SD-2025-GEN-01 --file results.csv

            Exit codes: 0 success, 1 internal error, 2 configuration error (pipeline, tag, risk or task files), 3 bad input files, 4 a data-quality gate failed (nothing published), 5 another run is active on the output directory, 6 inspectors cannot be assigned under the task's rules, 7 a sample does not verify, 8 the environment (a full disk, a read-only folder, no permission: nothing published), 9 the task was drawn already into that sample folder (a redraw needs --redraw --reason; nothing changed), 64 wrong command-line usage.
            """,
        version: Digitag.version,
        subcommands: [RunCommand.self, SampleCommand.self, ResultsCommand.self, ExplainCommand.self, FindCommand.self, RunsCommand.self, DiffCommand.self, ExportCommand.self, GenerateCommand.self, TokenizeCommand.self, TagsCommand.self, SparkJobCommand.self, ProfileCommand.self, QueryCommand.self, StatsCommand.self, ServeCommand.self, UsersCommand.self, AuditCommand.self, ModelCommand.self]
    )

    public init() {}

    /// `digitag --version`: the commit the binary was built from (embedded by the GitCommit plugin; "unknown"
    /// when built outside a git clone).
    static let version = "digitag (commit \(buildCommit))"

    /// Parses and runs the command line, after catching a mistyped subcommand (`digitag profle`) with a
    /// suggestion: ArgumentParser alone would only say "unexpected argument".
    public static func main() {
        if let message = unknownSubcommand(Array(CommandLine.arguments.dropFirst())) {
            printError(message)
            Foundation.exit(ExitStatus.usage.rawValue)
        }
        main(nil)
    }

    /// The message for the first word that should name a subcommand but names none, or nil.
    ///
    /// Only where a command has subcommands and no default one (`sample` draws by default, so a word after
    /// it may be an argument of the draw).
    static func unknownSubcommand(_ arguments: [String]) -> String? {
        var command: any ParsableCommand.Type = Digitag.self
        var path = ["digitag"]
        for word in arguments {
            if word.hasPrefix("-") { return nil }
            let subcommands = command.configuration.subcommands
            guard !subcommands.isEmpty, command.configuration.defaultSubcommand == nil else { return nil }
            let names = subcommands.map { $0._commandName } + ["help"]
            guard let next = subcommands.first(where: { $0._commandName == word }) else {
                if word == "help" { return nil }
                let hint = closestMatch(to: word, in: names).map { ": did you mean '\($0)'?" } ?? ""
                return "digitag: '\(word)' is not a command of '\(path.joined(separator: " "))'\(hint)\n"
                    + "digitag: commands: \(names.filter { $0 != "help" }.joined(separator: ", ")) (see '\(path.joined(separator: " ")) --help')"
            }
            command = next
            path.append(word)
        }
        return nil
    }
}
