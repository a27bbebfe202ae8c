import DataContract
import Engine
import DigiTagBase

/// One enterprise of a store, to read several of its values: from its row block when the run has
/// `store/rows.dts` (one small block decoded for all columns), else from each column's row group block.
public struct StoreRow {
    public let ordinal: Int
    let reader: StoreReader
    let cursor: StoreCursor
    let block: RowBlock?

    /// The value of column `c`, formatted as `StoreReader.formatted(column:ordinal:)` formats it.
    public func formatted(column c: Int) throws -> String {
        guard let block else { return try reader.formatted(column: c, ordinal: ordinal, cursor: cursor) }
        let e = block.entries[c]
        return try block.raw.withUnsafeBytes { b in
            try reader.format(
                row: ordinal - block.first, of: e, b: UnsafeRawBufferPointer(rebasing: b[Int(e.offset)..<(Int(e.offset) + Int(e.rawLength))]),
                column: c, rows: block.rows)
        }
    }

    /// The value of column `c` as a number, as `StoreReader.numbers(column:group:)` gives it: booleans 1/0,
    /// dates as days, categories their dictionary index, NaN for empty.
    public func number(column c: Int) throws -> Double {
        guard let block else {
            let g = ordinal / reader.meta.groupSize
            return try reader.numbers(column: c, group: g)[ordinal % reader.meta.groupSize]
        }
        let e = block.entries[c]
        return block.raw.withUnsafeBytes { b in
            StoreReader.value(row: ordinal - block.first, of: e, b: UnsafeRawBufferPointer(rebasing: b[Int(e.offset)..<(Int(e.offset) + Int(e.rawLength))]))
        }
    }

    /// The value of the column named `name`, or "" when the store has no such column.
    public func formatted(_ name: String) throws -> String {
        guard let c = reader.columnIndex[name] else { return "" }
        return try formatted(column: c)
    }
}

extension StoreReader {
    /// The enterprise with USCC `key`, or nil when the store has none.
    /// - Complexity: with row blocks, one row block read (it holds the keys too); without, one key block.
    public func row(of key: UInt128) throws -> StoreRow? { try row(of: key, cursor: cursor) }

    package func row(of key: UInt128, cursor: StoreCursor) throws -> StoreRow? {
        guard let rowBlocks else { return try ordinal(of: key).map { StoreRow(ordinal: $0, reader: self, cursor: cursor, block: nil) } }
        guard let k = rowBlocks.block(of: key) else { return nil }
        let block = try rowBlocks.read(block: k, codec: cursor.blockCodec)
        let e = block.entries[try column("uscc")]
        guard e.encoding == .keys else {
            throw InputError(file: rowBlocks.path, message: "corrupt row blocks: the uscc column of a block is not keys")
        }
        let r: Int? = block.raw.withUnsafeBytes { b in
            var lo = 0
            var hi = block.rows
            while lo < hi {
                let m = (lo + hi) / 2
                if b.loadLE(UInt128.self, at: Int(e.offset) + m * 16) < key { lo = m + 1 } else { hi = m }
            }
            return lo < block.rows && b.loadLE(UInt128.self, at: Int(e.offset) + lo * 16) == key ? lo : nil
        }
        return r.map { StoreRow(ordinal: block.first + $0, reader: self, cursor: cursor, block: block) }
    }

    /// The enterprise at `ordinal` (0 ..< enterprises).
    public func row(ordinal: Int) throws -> StoreRow { try row(ordinal: ordinal, cursor: cursor) }

    package func row(ordinal: Int, cursor: StoreCursor) throws -> StoreRow {
        guard let rowBlocks else { return StoreRow(ordinal: ordinal, reader: self, cursor: cursor, block: nil) }
        let block = try rowBlocks.read(block: rowBlocks.block(containing: ordinal), codec: cursor.blockCodec)
        return StoreRow(ordinal: ordinal, reader: self, cursor: cursor, block: block)
    }

    /// Whether the run has row blocks (`store/rows.dts`).
    public var hasRowBlocks: Bool { rowBlocks != nil }
}
