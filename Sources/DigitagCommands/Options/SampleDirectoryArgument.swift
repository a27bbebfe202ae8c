import ArgumentParser

/// The directory of a drawn sample (`plan.csv`, `notice.csv`, `audit.json`).
struct SampleDirectoryArgument: ParsableArguments {
    @Argument(help: "The sample directory, e.g. samples/SD-2025-GEN-01.")
    var directory: String
}
