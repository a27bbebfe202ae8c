import DigiTagBase

/// `store/rows.dts` (docs/STORE-FORMAT.md, "Row blocks"): every value of the store again, cut into blocks of
/// `blockSize` enterprises, each block all columns of its enterprises compressed together, so that one
/// enterprise's profile decompresses one small block instead of one 4,096-row block of every column.
///
/// A side file like `names.idx`: the store's format stays version 1, and a run without it still opens (its
/// profiles read the column blocks, as before). Values and dictionary indices are those of `profile.dts`.
public enum RowBlockFormat {
    public static let fileName = "rows.dts"
    public static let version: UInt32 = 1
    /// Enterprises per row block: fixed (a divisor of the store's row group), so the bytes do not depend on
    /// the run's shards or threads.
    public static let blockSize = 64
    static let magic = Array("DGTSROWS".utf8)
    static let endMark = Array("DGTREND1".utf8)
    static let headerSize = 24
    static let trailerSize = 24
    /// Directory entry: offset, compressed length, raw length, CRC-32, rows, first USCC of the block.
    static let entrySize = 40
    /// Per column at the start of a raw block: encoding, width, reserved, data length, base.
    static let columnEntrySize = 16

    public static func path(run: String) -> String {
        FileSystem.join(FileSystem.join(run, StoreFormat.directoryName), fileName)
    }
}
