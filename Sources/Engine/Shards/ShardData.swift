import DigiTagIO

/// One source's records for the enterprises of a shard, grouped by enterprise.
///
/// Rows of enterprise `e` (0-based within the shard) are `offsets[e]..<offsets[e+1]`, in input order.
public struct RecordBlock: Sendable {
    public var offsets: [Int32]
    public var numbers: [[Double]]
    public var codes: [[Int32]]
    public var rowCount: Int { Int(offsets.last ?? 0) }

    /// No records for any of `enterprises` (a source a pass does not read, or the registration source).
    public static func empty(enterprises: Int, fieldCount: Int = 0) -> RecordBlock {
        RecordBlock(
            offsets: [Int32](repeating: 0, count: enterprises + 1), numbers: Array(repeating: [], count: fieldCount),
            codes: Array(repeating: [], count: fieldCount))
    }

    public init(offsets: [Int32], numbers: [[Double]], codes: [[Int32]]) {
        self.offsets = offsets
        self.numbers = numbers
        self.codes = codes
    }
}

/// Everything the evaluator needs for a set of enterprises: registration columns and grouped records.
public struct ShardData: Sendable {
    /// Enterprise ordinals (global, USCC order) covered by this shard.
    public var ordinals: Range<Int>
    public var keys: [UInt128]
    public var entityNumbers: [[Double]]
    public var entityCodes: [[Int32]]
    /// By source index; the registration source's block is empty.
    public var records: [RecordBlock]
    /// Each enterprise's person group (its legal representative), for `peers_count`; empty when unused.
    public var peerGroups: [Int32]
    /// By source: records left out because they repeat an earlier record's natural key.
    public var duplicates: [DuplicateRecords]
    /// By source, when loaded with `evidence: true`: where each kept record came from and its texts. Else empty.
    public var origins: [RecordOrigins] = []
    public var count: Int { keys.count }

    public init(
        ordinals: Range<Int>, keys: [UInt128], entityNumbers: [[Double]], entityCodes: [[Int32]], records: [RecordBlock],
        peerGroups: [Int32] = [], duplicates: [DuplicateRecords] = []
    ) {
        self.ordinals = ordinals
        self.keys = keys
        self.entityNumbers = entityNumbers
        self.entityCodes = entityCodes
        self.records = records
        self.peerGroups = peerGroups
        self.duplicates = duplicates
    }
}
