import Foundation

/// The profile store's on-disk layout constants (docs/STORE-FORMAT.md). One file, `store/profile.dts`, in
/// the run directory; its directory entries are `BlockEntry`, its metadata `StoreMeta`, its checksum `CRC32`.
public enum StoreFormat {
    /// The version this build writes and the only one it reads.
    public static let version: UInt32 = 1
    public static let fileName = "profile.dts"
    public static let directoryName = "store"
    static let headerMagic = Array("DGTSTORE".utf8)
    static let trailerMagic = Array("DGTSEND1".utf8)
    static let headerSize = 16
    static let trailerSize = 48
    static let entrySize = 32
    /// Enterprises per row group: fixed, so the file is the same bytes whatever the run's shard count.
    public static let defaultGroupSize = 4_096

    public static func path(run: String) -> String {
        run + "/" + directoryName + "/" + fileName
    }
}
