import ArgumentParser
import Foundation

/// `--threads` for the commands that read the input files in parallel.
struct ThreadsOption: ParsableArguments {
    @Option(help: "Worker threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }
}
