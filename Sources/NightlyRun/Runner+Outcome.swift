import DigiTagBase
import Foundation
import RunModel

extension Runner {
    /// One night: `runStages`, and, when it fails with any documented exit code, the failure recorded in
    /// `metrics.prom` (`RunMetrics.recordFailure`) before the error goes on to the command line.
    ///
    /// A success records itself as it publishes (the metrics are written inside the run's lock, right after
    /// `current` moves); this wrapper only adds the failures, so that an alert on `digitag_run_success` or
    /// `digitag_run_exit_code` sees a bad input or a broken pipeline as surely as a failed gate.
    public static func run(_ options: RunOptions, reporter: RunReporter = .silent) throws -> Summary {
        let started = Date()
        do {
            return try runStages(options, reporter: reporter)
        } catch {
            RunMetrics.recordFailure(error, options: options, started: started)
            throw error
        }
    }
}
