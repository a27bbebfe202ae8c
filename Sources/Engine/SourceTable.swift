import DigiTagIO

/// A source's accepted rows as columns, indexed by field position in the schema.
///
/// Only the storage a field needs is filled: `numbers[i]` for numeric/date/flag fields, `codes[i]` for
/// categorical ones, `texts[i]` for free text (kept for the registration source only, for names shown
/// to people). Record sources keep, per row, the registration row of their enterprise in `entityRow`.
public struct SourceTable: Sendable {
    public var keys: [UInt128] = []
    public var entityRow: [Int32] = []
    public var numbers: [[Double]]
    public var codes: [[Int32]]
    public var texts: [[String]]
    public private(set) var count = 0

    public init(fieldCount: Int) {
        numbers = Array(repeating: [], count: fieldCount)
        codes = Array(repeating: [], count: fieldCount)
        texts = Array(repeating: [], count: fieldCount)
    }

    mutating func didAppendRow() { count += 1 }
}
