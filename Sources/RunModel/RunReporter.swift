import DigiTagBase

/// Where progress and log lines go; the command line decides how they are shown.
///
/// Each line carries its level from where it is said (a failed gate is a warning because the gate says so),
/// so the command line never guesses a level from the text.
public struct RunReporter: Sendable {
    public enum Level: Sendable, Equatable {
        /// Details an operator reads only when looking into a run (per-source counts, shard sizes).
        case debug
        /// What a run did, stage by stage.
        case info
        /// Something an operator should look at, though the run went on (a failed gate, an unreadable
        /// previous run).
        case warning
    }

    public var sink: @Sendable (Level, String) -> Void
    /// (stage, units done, units in all) during long stages.
    public var progress: @Sendable (String, Int, Int) -> Void

    public init(
        sink: @escaping @Sendable (Level, String) -> Void, progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }
    ) {
        self.sink = sink
        self.progress = progress
    }

    /// Every line, whatever its level, to one function (tests collect them this way).
    public init(log: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }) {
        self.init(sink: { _, line in log(line) }, progress: progress)
    }

    public static let silent = RunReporter { _ in }

    public func debug(_ line: String) { sink(.debug, line) }
    public func info(_ line: String) { sink(.info, line) }
    public func warning(_ line: String) { sink(.warning, line) }
}
