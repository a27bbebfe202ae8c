import DataContract
import DigiTagIO

/// The fixed-width binary form of one accepted record in a spill file:
/// `ordinal: Int32`, then each numeric field as a binary64, then each coded field as an Int32 (host order).
///
/// Fixed width keeps writing a row a few stores and decoding a shard a counting sort; zstd removes
/// the padding this costs on disk.
public struct RecordLayout: Sendable, Codable, Equatable {
    /// Schema field indices stored as numbers / as codes, in row order.
    public let numberFields: [Int]
    public let codeFields: [Int]
    public let fieldCount: Int

    public init(schema: SourceSchema) {
        numberFields = schema.fields.indices.filter { schema.fields[$0].type.storage == .number }
        codeFields = schema.fields.indices.filter { schema.fields[$0].type.storage == .code }
        fieldCount = schema.fields.count
    }

    public var rowBytes: Int { 4 + numberFields.count * 8 + codeFields.count * 4 }
    public func numberOffset(_ k: Int) -> Int { 4 + k * 8 }
    public func codeOffset(_ k: Int) -> Int { 4 + numberFields.count * 8 + k * 4 }
}
