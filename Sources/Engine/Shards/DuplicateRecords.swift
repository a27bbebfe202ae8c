/// Records of one source delivered twice: the same natural key for the same enterprise (`NaturalKey`).
///
/// The first record in delivery order (files in the order the manifest lists them, lines in order) is
/// kept; each later one with the same key is dropped before any tag sees it, and counted here.
public struct DuplicateRecords: Sendable, Equatable {
    /// How many examples a run keeps per source: enough to find the files, few enough to read.
    public static let maxExamples = 5

    /// One dropped record: its enterprise and its key's values, as stored in the spill row.
    public struct Example: Sendable, Equatable {
        public var uscc: UInt128
        /// Per `RecordLayout.keyFields`: the stored value's bits (a number's binary64, a code, a text's hash).
        public var values: [UInt64]

        public init(uscc: UInt128, values: [UInt64]) {
            self.uscc = uscc
            self.values = values
        }
    }

    public var count = 0
    /// The first dropped records in USCC order (then delivery order), at most `maxExamples`.
    public var examples: [Example] = []

    public init(count: Int = 0, examples: [Example] = []) {
        self.count = count
        self.examples = examples
    }

    /// Adds the duplicates of a later shard (shards are merged in USCC order, so examples stay the first ones).
    public mutating func add(_ other: DuplicateRecords) {
        count += other.count
        for e in other.examples where examples.count < Self.maxExamples { examples.append(e) }
    }
}
