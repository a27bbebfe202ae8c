import ArgumentParser

/// `--run`: the published run a command reads (`runs/<as-of>`, or the `runs/current` link).
///
/// Named so as not to be confused with `NightlyRun.RunOptions`, the options of a nightly run.
struct PublishedRunOption: ParsableArguments {
    @Option(name: .customLong("run"), help: "A published run directory.")
    var directory = "runs/current"
}
