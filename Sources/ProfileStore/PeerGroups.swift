import DigiTagBase
import Engine
import Foundation

/// `store/peers.idx` (docs/STORE-FORMAT.md, "Peer groups"): for every enterprise, in ordinal (USCC) order, the
/// number of its legal-representative group — enterprises with the same `legal_rep_id` share a number, -1
/// for none — so the server can list a legal representative's other enterprises.
///
/// The numbers are opaque (given in ordinal order of each group's first enterprise): the file links
/// enterprises without holding the person's name or ID number, which the store does not keep. A side file
/// like `names.idx`, so the store's format is unchanged and a run without it still opens.
public enum PeerGroups {
    public static let fileName = "peers.idx"
    public static let version: UInt32 = 1
    static let magic = Array("DGTPEERS".utf8)
    static let endMark = Array("DGTPEND1".utf8)
    static let headerSize = 24

    public static func path(run: String) -> String {
        FileSystem.join(FileSystem.join(run, StoreFormat.directoryName), fileName)
    }

    /// Numbers groups in ordinal order: `groupOfOrdinal` holds any group ids (-1: none), the file gets them
    /// renumbered 0, 1, … by first appearance, so the same enterprises give the same bytes.
    package static func write(groupOfOrdinal: [Int32], to path: String) throws {
        var renumbered: [Int32: Int32] = [:]
        var out: [UInt8] = magic
        out.reserveCapacity(headerSize + 4 * groupOfOrdinal.count + 8)
        out.appendLE(version)
        out.appendLE(UInt32(0))
        out.appendLE(UInt64(groupOfOrdinal.count))
        for g in groupOfOrdinal {
            guard g >= 0 else {
                out.appendLE(Int32(-1))
                continue
            }
            if renumbered[g] == nil { renumbered[g] = Int32(renumbered.count) }
            out.appendLE(renumbered[g]!)
        }
        out += endMark
        let file = try OutputFile(creating: path)
        try file.write(out)
        try file.sync()
        try file.close()
    }

    /// The group of every ordinal.
    /// - Complexity: reads the file once; 4 bytes an enterprise.
    public static func read(path: String) throws -> [Int32] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "no peer groups here (runs published before the server listed other enterprises have none)")
        }
        let b = [UInt8](data)
        guard b.count >= headerSize + 8, Array(b[0..<8]) == magic else {
            throw InputError(file: path, message: "not a digitag peer groups file (its first bytes are not 'DGTPEERS')")
        }
        let version = b.withUnsafeBytes { $0.loadLE(UInt32.self, at: 8) }
        guard version == Self.version else {
            throw InputError(file: path, message: "peer groups version \(version) is not supported: this digitag reads version \(Self.version)")
        }
        let n = Int(b.withUnsafeBytes { $0.loadLE(UInt64.self, at: 16) })
        guard b.count == headerSize + 4 * n + 8, Array(b[(b.count - 8)...]) == endMark else {
            throw InputError(file: path, message: "truncated or corrupt peer groups file: its size does not match its \(n) enterprises")
        }
        return b.withUnsafeBytes { raw in (0..<n).map { Int32(bitPattern: raw.loadLE(UInt32.self, at: headerSize + 4 * $0)) } }
    }
}
