import DigiTagBase

/// Where progress and log lines go; the command line decides how they are shown.
public struct RunReporter: Sendable {
    public var log: @Sendable (String) -> Void
    /// (stage, units done, units in all) during long stages.
    public var progress: @Sendable (String, Int, Int) -> Void
    public init(log: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (String, Int, Int) -> Void = { _, _, _ in }) {
        self.log = log
        self.progress = progress
    }
    public static let silent = RunReporter { _ in }
}
