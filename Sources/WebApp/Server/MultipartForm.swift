/// A `multipart/form-data` body (RFC 7578): what a browser sends for a form with a file field, without any
/// script. Only what the results upload needs: text fields and files, each part's `Content-Disposition` name
/// and filename; a part's bytes are kept exactly (a results file keeps its byte-order mark and line ends).
public enum MultipartForm {
    public struct Parts: Sendable {
        public var fields: [String: String] = [:]
        public var files: [String: WebRequest.Upload] = [:]
    }

    /// The boundary of a `multipart/form-data; boundary=…` content type, or nil for any other body.
    public static func boundary(contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let kv = parameter.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var value = kv[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.isEmpty ? nil : value
        }
        return nil
    }

    /// The parts of `body`; a malformed part is skipped (the route then finds its field missing and says so).
    ///
    /// - Complexity: O(body × boundary) in the worst case, one pass over the body.
    public static func parse(_ body: [UInt8], boundary: String) -> Parts {
        var parts = Parts()
        let delimiter = Array(("--" + boundary).utf8)
        let crlf: [UInt8] = [13, 10]
        var positions: [Int] = []
        var i = 0
        while let at = find(delimiter, in: body, from: i) {
            positions.append(at)
            i = at + delimiter.count
        }
        for (start, end) in zip(positions, positions.dropFirst()) {
            var partStart = start + delimiter.count
            // The delimiter line ends with CRLF; the part's content ends with the CRLF before the next delimiter.
            guard partStart + 2 <= end, Array(body[partStart..<partStart + 2]) == crlf else { continue }
            partStart += 2
            var partEnd = end
            if partEnd - 2 >= partStart, Array(body[(partEnd - 2)..<partEnd]) == crlf { partEnd -= 2 }
            guard let headerEnd = find([13, 10, 13, 10], in: body, from: partStart), headerEnd <= partEnd else { continue }
            let headerText = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            let content = Array(body[(headerEnd + 4)..<max(headerEnd + 4, partEnd)])
            var name: String?
            var filename: String?
            for line in headerText.split(separator: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = parameter("name", in: line)
                filename = parameter("filename", in: line)
            }
            guard let name else { continue }
            if let filename {
                parts.files[name] = WebRequest.Upload(filename: filename, bytes: content)
            } else {
                parts.fields[name] = String(decoding: content, as: UTF8.self)
            }
        }
        return parts
    }

    /// `name="value"` of a header line (`filename*` and other extensions are not used by browsers' forms).
    static func parameter(_ key: String, in line: Substring) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let kv = piece.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces) == key else { continue }
            var value = kv[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    /// The first index at or after `from` where `needle` starts in `haystack`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, from <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var k = 1
                while k < needle.count && haystack[i + k] == needle[k] { k += 1 }
                if k == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
