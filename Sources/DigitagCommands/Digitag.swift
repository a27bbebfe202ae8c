import ArgumentParser

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
        subcommands: [RunCommand.self, SampleCommand.self, ResultsCommand.self, ExplainCommand.self, RunsCommand.self, DiffCommand.self, GenerateCommand.self, TokenizeCommand.self, TagsCommand.self, ProfileCommand.self, QueryCommand.self, StatsCommand.self, ServeCommand.self, UsersCommand.self, AuditCommand.self]
    )

    public init() {}
}
