import DataContract
import DigiTagIO

/// The fixed-width binary form of one accepted record in a spill file:
/// `ordinal: Int32`, then each numeric field as a binary64, then each coded field as an Int32, then a
/// 64-bit hash of each text field of the natural key (host order).
///
/// Fixed width keeps writing a row a few stores and decoding a shard a counting sort; zstd removes
/// the padding this costs on disk. Text fields are not stored (no tag reads them); those in the natural
/// key are stored as their hash, so a shard can find records delivered twice (`DuplicateFinder`).
public struct RecordLayout: Sendable, Codable, Equatable {
    /// Schema field indices stored as numbers / as codes / as hashes, in row order.
    public let numberFields: [Int]
    public let codeFields: [Int]
    public let hashFields: [Int]
    /// The natural key without the USCC (records are compared per enterprise): schema field indices,
    /// each stored as a number, a code or a hash. Empty when the source declares no key.
    public let keyFields: [Int]
    /// True when the source declares a natural key (`key: [uscc]` alone: one record per enterprise).
    public let hasKey: Bool
    public let fieldCount: Int
    /// Every text field (schema field indices): not in the fixed-width row, but written with the record's
    /// line to the spill's side frames (`SpillBlock.side…`) for the run's evidence (docs/EVIDENCE-FORMAT.md).
    public let textFields: [Int]

    public init(schema: SourceSchema) {
        numberFields = schema.fields.indices.filter { schema.fields[$0].type.storage == .number }
        codeFields = schema.fields.indices.filter { schema.fields[$0].type.storage == .code }
        keyFields = schema.key.filter { schema.fields[$0].type.storage != .key }
        hashFields = keyFields.filter { schema.fields[$0].type.storage == .text }
        hasKey = !schema.key.isEmpty
        fieldCount = schema.fields.count
        textFields = schema.fields.indices.filter { schema.fields[$0].type.storage == .text }
    }

    public var rowBytes: Int { 4 + numberFields.count * 8 + codeFields.count * 4 + hashFields.count * 8 }
    public func numberOffset(_ k: Int) -> Int { 4 + k * 8 }
    public func codeOffset(_ k: Int) -> Int { 4 + numberFields.count * 8 + k * 4 }
    public func hashOffset(_ k: Int) -> Int { 4 + numberFields.count * 8 + codeFields.count * 4 + k * 8 }
}
