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
}
