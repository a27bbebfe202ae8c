/// Escaping for HTML and inline SVG: the one escaper of `report.html` and of the pages `digitag serve`
/// renders. Every piece of text that reaches a page goes through it, whatever its origin (enterprise names,
/// file paths, reasons and what a user typed may hold `<`, `&`, quotes or control characters).
public enum HTMLText {
    /// Text content of an element, or a quoted attribute value: the five characters HTML gives a meaning to
    /// become references, and control characters other than tab and newline (not allowed in HTML) U+FFFD.
    public static func escape(_ s: String) -> String {
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

    /// A double-quoted attribute value, quotes included.
    public static func attribute(_ s: String) -> String { "\"" + escape(s) + "\"" }
}
