import Foundation

/// SHA-256 as lower-case hex, the form every digest of the project is written in (manifests, sample audits,
/// the audit log's chain): one helper, beside SHA256 (libcrypto), used by all.
public enum HexDigest {
    /// Bytes as lower-case hex, two digits each.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0xF)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The SHA-256 of `data`, in hex.
    public static func sha256(_ data: some DataProtocol) -> String { hex(SHA256.hash(data: data)) }

    /// The SHA-256 of a text's UTF-8 bytes, in hex.
    public static func sha256(_ text: some StringProtocol) -> String { sha256(Data(text.utf8)) }
}
