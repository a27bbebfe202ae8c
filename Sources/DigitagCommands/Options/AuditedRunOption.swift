import ArgumentParser

/// `--run` for commands that re-run a draw: by default the run its `audit.json` records.
struct AuditedRunOption: ParsableArguments {
    @Option(name: .customLong("run"), help: "The run directory, if not where audit.json says.")
    var directory: String?
}
