import DataContract
import Foundation

/// The run's evidence archive (`<run>/evidence/`): every accepted record the tags were computed from, with
/// the delivery file and line it came from. The byte layout is in docs/EVIDENCE-FORMAT.md.
///
/// - `records.zst`: zstd frames, one per (group of `groupSize` enterprises in USCC order, record source);
/// - `index.bin`: where each frame is, so one enterprise's records of one source cost one small frame;
/// - `layout.json`: this struct: each source's stored fields in order and its delivery files.
public struct EvidenceFormat: Codable, Sendable, Equatable {
    public static let directoryName = "evidence"
    public static let recordsFile = "records.zst"
    public static let indexFile = "index.bin"
    public static let layoutFile = "layout.json"
    /// `index.bin` starts with these 8 bytes.
    public static let magic: [UInt8] = Array("DTEVID01".utf8)
    /// Bytes of `index.bin` before its entries: magic, then group size, enterprises, sources, groups (UInt32 LE each).
    public static let headerBytes = 8 + 4 * 4
    /// Bytes of one entry: offset (UInt64), compressed and uncompressed length, records (UInt32 each), LE.
    public static let entryBytes = 8 + 4 * 3
    public static let defaultGroupSize = 1024

    public struct Source: Codable, Sendable, Equatable {
        public var name: String
        /// Empty for the registration source (its records are the profile itself).
        public var files: [String]
        public var numberFields: [String]
        public var codeFields: [String]
        public var textFields: [String]

        enum CodingKeys: String, CodingKey {
            case name, files
            case numberFields = "number_fields"
            case codeFields = "code_fields"
            case textFields = "text_fields"
        }
    }

    public var format = 1
    public var groupSize: Int
    public var enterprises: Int
    public var sources: [Source]

    enum CodingKeys: String, CodingKey {
        case format
        case groupSize = "group_size"
        case enterprises, sources
    }

    public var groups: Int { (enterprises + groupSize - 1) / groupSize }

    public static func directory(run: String) -> String { (run as NSString).appendingPathComponent(directoryName) }

    /// False for runs made before runs kept their records.
    public static func exists(run: String) -> Bool {
        FileManager.default.fileExists(atPath: (directory(run: run) as NSString).appendingPathComponent(layoutFile))
    }

    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self) + Data("\n".utf8)
    }
}
