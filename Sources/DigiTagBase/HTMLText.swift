/// Escaping for HTML and inline SVG: the one escaper of `report.html` and of the pages `digitag serve`
/// renders. Every piece of text that reaches a page goes through it, whatever its origin (enterprise names,
/// file paths, reasons and what a user typed may hold `<`, `&`, quotes or control characters).
public enum HTMLText {
    /// Text content of an element, or a quoted attribute value: the five characters HTML gives a meaning to
    /// become references, and control characters other than tab and newline (not allowed in HTML) U+FFFD.
    public static func escape(_ s: String) -> String {
        // Most texts of a page (names, numbers, tag ids, Chinese labels) need no change: one pass over the
        // UTF-8 bytes returns them as they are, without building a new string scalar by scalar (a profile
        // page escapes ~2,000 texts; the scalar loop was a fifth of the server's CPU per profile).
        guard needsEscaping(s) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                if c.value < 0x20 && c != "\t" && c != "\n" || (0x7F...0x9F).contains(c.value) {
                    out += "\u{FFFD}"
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out
    }

    /// Whether `escape` changes anything in `s`: one of the five characters, a control character other than
    /// tab and newline (C0, DEL), or a C1 control (U+0080–U+009F, in UTF-8 the byte 0xC2 then 0x80–0x9F).
    static func needsEscaping(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { bytes in
            var previous: UInt8 = 0
            for b in bytes {
                switch b {
                case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"), 0x7F: return true
                case 0x09, 0x0A: break
                case 0x00..<0x20: return true
                case 0x80...0x9F where previous == 0xC2: return true
                default: break
                }
                previous = b
            }
            return false
        }
    }

    /// A double-quoted attribute value, quotes included.
    public static func attribute(_ s: String) -> String { "\"" + escape(s) + "\"" }
}
