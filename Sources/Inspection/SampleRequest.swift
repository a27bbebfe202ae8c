import DigiTagBase

/// What a draw needs: a published run, a task, a seed, and the two directories' files.
///
/// Defaults: the task is the pipeline's `default_task`; the item list is `items.csv` beside the pipeline
/// file; the inspector directory is `inspectors.csv` in the run's input directory (as its manifest names
/// it); the inspection history is `inspection_history.csv` beside the inspector directory, if present;
/// the output is `samples/<task id>`.
public struct SampleRequest: Sendable {
    public var runDirectory: String
    public var pipeline: String
    public var taskPath: String?
    /// `--seed`: overrides a seed the task file records.
    public var seed: String?
    public var output: String?
    public var inspectors: String?
    public var history: String?
    public var items: String?
    public var threads: Int
    public var shards: Int
    /// The task text to use instead of reading `taskPath` (verification re-runs the recorded text).
    public var taskText: String?
    /// `--redraw --reason TEXT`: draw a task again into a sample folder that holds a draw; the earlier draw is
    /// kept in `draws/<n>/`. Nil: a folder that holds a draw is refused (`AlreadyDrawn`).
    public var redrawReason: String?
    /// The private nonce file of a task whose seed is committed (default `commitments/<task id>.nonce`).
    public var nonceFile: String?
    /// The nonce as revealed in an audit record (verification): used instead of reading `nonceFile`.
    public var revealedNonce: String?
    /// When the draw is made (ISO 8601), for the audit record's list of draws. The command line gives the
    /// clock's time; the draw itself never reads the clock.
    public var drawnAt: String?

    public init(
        runDirectory: String, pipeline: String = "Pipelines/shandong.yaml", taskPath: String? = nil, seed: String? = nil,
        output: String? = nil, inspectors: String? = nil, history: String? = nil, items: String? = nil, threads: Int = 1,
        shards: Int = 1, taskText: String? = nil, redrawReason: String? = nil, nonceFile: String? = nil, revealedNonce: String? = nil,
        drawnAt: String? = nil
    ) {
        self.redrawReason = redrawReason
        self.nonceFile = nonceFile
        self.revealedNonce = revealedNonce
        self.drawnAt = drawnAt
        self.runDirectory = runDirectory
        self.pipeline = pipeline
        self.taskPath = taskPath
        self.seed = seed
        self.output = output
        self.inspectors = inspectors
        self.history = history
        self.items = items
        self.threads = threads
        self.shards = shards
        self.taskText = taskText
    }
}
