import Foundation

/// A request as the application sees it, apart from the HTTP framework: what was asked, by whom, from where.
public struct WebRequest: Sendable {
    public var method: String
    public var path: String
    /// Query string parameters, decoded.
    public var query: [String: String]
    /// Form fields of a POST body (application/x-www-form-urlencoded), decoded.
    public var form: [String: String]
    public var cookies: [String: String]
    /// Header names in lower case.
    public var headers: [String: String]
    /// The client's address: the socket's, or X-Forwarded-For's behind a trusted proxy.
    public var address: String
    /// Files of a multipart/form-data body, by field name.
    public var files: [String: Upload] = [:]

    /// A file sent with a form: its name on the sender's machine and its bytes.
    public struct Upload: Sendable, Equatable {
        public var filename: String
        public var bytes: [UInt8]

        public init(filename: String, bytes: [UInt8]) {
            self.filename = filename
            self.bytes = bytes
        }
    }

    /// API routes answer JSON; pages answer HTML.
    public var isAPI: Bool { path.hasPrefix("/api/") }

    /// `a=1&b=%E4%B8%AD+x` into a dictionary (the last of a repeated name wins).
    public static func decodeForm(_ text: Substring) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            out[percentDecode(parts[0])] = parts.count > 1 ? percentDecode(parts[1]) : ""
        }
        return out
    }

    static func percentDecode(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else if b == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `Cookie: a=1; b=2`.
    public static func decodeCookies(_ header: String?) -> [String: String] {
        var out: [String: String] = [:]
        for part in (header ?? "").split(separator: ";") {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { continue }
            out[kv[0].trimmingCharacters(in: .whitespaces)] = String(kv[1]).trimmingCharacters(in: .whitespaces)
        }
        return out
    }
}

/// What the application answers, before the HTTP framework turns it into bytes on the wire.
public struct WebResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var headers: [(String, String)] = []

    public static func html(_ text: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, contentType: "text/html; charset=utf-8", body: Array(text.utf8))
    }

    public static func json(_ text: String, status: Int = 200) -> WebResponse {
        WebResponse(status: status, contentType: "application/json; charset=utf-8", body: Array(text.utf8))
    }

    /// 303 See Other: after a form post, the browser fetches the target with GET.
    public static func redirect(_ location: String) -> WebResponse {
        WebResponse(status: 303, contentType: "text/plain; charset=utf-8", body: [], headers: [("Location", location)])
    }
}
