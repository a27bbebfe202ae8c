/// The character encoding a delivery is written in. Everything inside digitag is UTF-8; other encodings
/// are converted while reading (glibc's iconv), so a source declares what its files really are.
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
    case utf8 = "utf-8"
    /// GB 18030-2005: what many older government systems export; a superset of GBK and GB 2312.
    case gb18030
    /// GBK (CP936): a subset of GB18030, declared separately so a message can name what was declared.
    case gbk

    /// The name iconv knows the encoding by.
    public var iconvName: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .gbk: "GBK"
        }
    }

    /// How a person writes it in sources.yaml.
    public var displayName: String {
        switch self {
        case .utf8: "UTF-8"
        case .gb18030: "GB18030"
        case .gbk: "GBK"
        }
    }

    /// Accepts the usual spellings: `utf-8`/`utf8`, `gb18030`, `gbk`/`cp936`.
    public init?(name: String) {
        switch String(name.lowercased().map { $0 == "_" ? "-" : $0 }) {
        case "utf-8", "utf8": self = .utf8
        case "gb18030", "gb-18030": self = .gb18030
        case "gbk", "cp936": self = .gbk
        default: return nil
        }
    }
}
