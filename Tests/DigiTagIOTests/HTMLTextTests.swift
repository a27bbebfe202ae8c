import DigiTagBase
import Testing

/// The one HTML escaper (report.html and the served pages): the five characters, and control characters.
@Suite struct HTMLTextTests {
    @Test("the five characters HTML gives a meaning to become references")
    func five() {
        #expect(HTMLText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLText.attribute("a\"<b>") == "\"a&quot;&lt;b&gt;\"")
    }

    @Test("control characters other than tab and newline become U+FFFD; Chinese text is left alone")
    func controls() {
        #expect(HTMLText.escape("a\u{1}b\u{7F}c\u{85}d") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d")
        #expect(HTMLText.escape("济南\t市\n") == "济南\t市\n")
    }

    /// The rules, scalar by scalar, written here from the doc comment rather than taken from the code.
    static func reference(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            switch c.value {
            case 0x26: out += "&amp;"
            case 0x3C: out += "&lt;"
            case 0x3E: out += "&gt;"
            case 0x22: out += "&quot;"
            case 0x27: out += "&#39;"
            case 0x09, 0x0A: out.unicodeScalars.append(c)
            case 0x00...0x1F, 0x7F...0x9F: out += "\u{FFFD}"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }

    @Test("texts with nothing to escape come back unchanged, and every mix of atoms escapes as the rules say")
    func fastPathAgreesWithTheRules() {
        // Atoms around the fast path's byte tests: C1 controls against other two-byte characters starting
        // 0xC2 (U+00A0, U+00BF) and against continuation bytes 0x80–0x9F of three-byte characters (济 is
        // E6 B5 8E; U+0800 is E0 A0 80; U+2028 is E2 80 A8).
        let atoms = ["", "a", "济南", "&", "<", ">", "\"", "'", "\t", "\n", "\r", "\u{0}", "\u{1F}", "\u{7F}", "\u{80}", "\u{85}",
                     "\u{9F}", "\u{A0}", "\u{BF}", "\u{800}", "\u{2028}", "😀", "¥12,000.50", " "]
        for a in atoms {
            for b in atoms {
                for c in ["", "x", "济"] {
                    let s = a + c + b
                    #expect(HTMLText.escape(s) == Self.reference(s), "\(Array(s.unicodeScalars.map(\.value)))")
                }
            }
        }
        #expect(HTMLText.escape("山东省济南市历下区 91370102MA3C4XYZ1X 12.5") == "山东省济南市历下区 91370102MA3C4XYZ1X 12.5")
    }
}
