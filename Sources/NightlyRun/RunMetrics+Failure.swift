import DigiTagBase
import Foundation
import RunModel

extension RunMetrics {
    /// Writes `metrics.prom` for a run that ended with `error`: `digitag_run_success 0`, its exit code, and
    /// for a failed gate the rows and every gate's result. Best effort: a machine that cannot write the file
    /// (the very failure, perhaps) leaves the previous one.
    ///
    /// Written under the output directory's lock, taken again here: the run's own lock is released when it
    /// throws, and a run started meanwhile owns the file. "Another run is active" (exit 5) writes nothing, for
    /// the same reason.
    package static func recordFailure(_ error: any Error, options: RunOptions, started: Date, now: Date = Date()) {
        let status = ExitStatus.of(error)
        guard status != .runActive, status != .success else { return }
        guard let lock = try? RunLock(directory: options.output, description: "recording a failed run as of \(options.asOf.description)")
        else { return }
        let gate = error as? GateFailedError
        try? write(
            to: options.output, exitStatus: status, asOf: options.asOf.description, started: started, stats: gate?.stats ?? [],
            classCounts: [:], gates: gate?.results ?? [], now: now)
        withExtendedLifetime(lock) {}
    }
}
