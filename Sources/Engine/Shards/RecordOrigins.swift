/// Where each record of a `RecordBlock` came from, and its text fields: read from the spill's side frames
/// when a shard is loaded for the evidence archive (`IngestResult.shard(_:evidence:)`).
///
/// Indexed like the block's rows (grouped by enterprise, duplicates left out). Record `r`'s texts are
/// `sides[textStart[r]..<textEnd[r]]`: each text field of the source as a varint length and its bytes.
public struct RecordOrigins: Sendable {
    /// Index of the delivery file among the source's files (input order, as manifest.json lists them).
    public var file: [Int32] = []
    /// Physical line (1-based) in that file where the record starts.
    public var line: [Int32] = []
    public var textStart: [Int32] = []
    public var textEnd: [Int32] = []
    public var sides: [UInt8] = []

    public init() {}
}
