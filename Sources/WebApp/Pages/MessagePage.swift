import DigiTagBase
import DigiTagIO

/// A page or JSON body that only says something: not found, refused, invalid, failed.
enum MessagePage {
    static func html(title: String, message: String, session: Session?) -> String {
        HTML.page(title: title, session: session, body: "<h1>\(HTMLText.escape(title))</h1><p class=\"error\">\(HTMLText.escape(message))</p>")
    }

    static func json(error: String, message: String) -> String {
        "{\"error\": \(TextTable.jsonString(error)), \"message\": \(TextTable.jsonString(message))}"
    }
}
