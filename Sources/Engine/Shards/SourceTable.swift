import DigiTagIO

/// The registration source's accepted rows as columns, indexed by field position in the schema.
///
/// Only the storage a field needs is filled: `numbers[i]` for numeric/date/flag fields, `codes[i]` for
/// categorical ones, `texts[i]` for the free-text fields a run shows or links on (the name, the legal
/// representative's id). Record sources are not held in memory: they are spilled by shard.
public struct SourceTable: Sendable {
    public var keys: [UInt128] = []
    public var numbers: [[Double]]
    public var codes: [[Int32]]
    public var texts: [TextColumn]
    public private(set) var count = 0

    public init(fieldCount: Int) {
        numbers = Array(repeating: [], count: fieldCount)
        codes = Array(repeating: [], count: fieldCount)
        texts = Array(repeating: TextColumn(), count: fieldCount)
    }

    mutating func didAppendRow() { count += 1 }
}
