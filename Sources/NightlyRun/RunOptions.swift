import DataContract
import DigiTagBase
import RunModel

/// What a run needs to know: a pure function of these (and the files they name) — no clock, no randomness.
public struct RunOptions: Sendable {
    public var pipeline: String
    public var input: String
    public var asOf: Day
    public var output: String
    public var threads: Int
    /// Number of shards; `nil` derives it from `shardSize`, or else from the memory budget.
    public var shards: Int?
    /// Enterprises per shard when `shards` is not given; `nil` sizes shards to the memory budget.
    public var shardSize: Int?
    /// Bytes the shards evaluated at once may use; `nil`: `MemoryBudget.defaultBytes()`.
    public var memoryBudget: Int?
    /// Published runs to keep (overrides the pipeline's keep_runs); nil: as the pipeline says.
    public var keepRuns: Int?
    /// Switch `current` to this run even when it is a backfill (an as-of date earlier than `current`'s).
    public var makeCurrent: Bool
    /// Failed gates the operator accepts on the record (`--accept-gate … --reason …`); see `GateVerdict`.
    public var acceptGates: [GateAcceptance] = []
    /// Encodings this delivery came in, where they differ from sources.yaml (`--encoding`).
    public var encodings: EncodingOverride = .none
    /// Whether `tags.csv` is written besides the store (`--tags-csv`).
    public var tagsCSV: TagsCSVPolicy = .auto
    /// A directory of tag values computed elsewhere (`spark/digitag_tags.py`) to score and publish instead of
    /// computing the tags (`--tags-from`); see `ImportedTags`.
    public var tagsFrom: String?

    public init(pipeline: String, input: String, asOf: Day, output: String, threads: Int, shards: Int? = nil, shardSize: Int? = nil,
        memoryBudget: Int? = nil, keepRuns: Int? = nil, makeCurrent: Bool = false
    ) {
        self.makeCurrent = makeCurrent
        self.memoryBudget = memoryBudget
        self.keepRuns = keepRuns
        self.pipeline = pipeline
        self.input = input
        self.asOf = asOf
        self.output = output
        self.threads = threads
        self.shards = shards
        self.shardSize = shardSize
    }
}
