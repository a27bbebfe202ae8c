import DigiTagBase
import DigiTagIO

/// The user's saved segments: run, delete, and a form to save one more. Each says whether the role may still
/// run it (a role change or a catalog change since it was saved).
enum SavedSegmentPage {
    static func html(_ entries: [(SavedSegments.Entry, String?)], message: String?, session s: Session) -> String {
        let e = HTMLText.escape
        let token = "<input type=\"hidden\" name=\"csrf_token\" value=\"\(e(s.csrfToken))\">"
        var body = "<h1>已保存的分群 Saved segments</h1>"
        if let message { body += "<p class=\"error\">\(e(message))</p>" }
        if entries.isEmpty {
            body += "<p class=\"note\">还没有 None yet: run a segment, then save it under a name.</p>"
        } else {
            body += "<table><tr><th>名称 Name</th><th>表达式 Expression</th><th>保存于 Saved</th><th></th><th></th></tr>"
            for (entry, refusal) in entries {
                let run =
                    refusal.map { "<span class=\"error\">现已无权运行 refused now: \(e($0))</span>" }
                    ?? "<a href=\"/segments/saved/run?name=\(HTML.queryValue(entry.name))\">运行 Run</a>"
                body += "<tr><td>\(e(entry.name))</td><td><code>\(e(entry.expression))</code></td><td>\(e(entry.saved))</td><td>\(run)</td>"
                body += "<td><form class=\"inline\" method=\"post\" action=\"/segments/saved/delete\">\(token)"
                body += "<input type=\"hidden\" name=\"name\" value=\"\(e(entry.name))\"><button>删除 Delete</button></form></td></tr>"
            }
            body += "</table>"
        }
        body += "<h2>保存 Save</h2>" + saveForm(name: "", expression: "", session: s)
        return HTML.page(title: "已保存的分群 Saved segments", session: s, body: body)
    }

    /// The form that saves an expression under a name (also under a segment's result).
    static func saveForm(name: String, expression: String, session s: Session) -> String {
        let e = HTMLText.escape
        return """
            <form method="post" action="/segments/saved"><input type="hidden" name="csrf_token" value="\(e(s.csrfToken))">\
            <label>名称 Name <input name="name" size="30" maxlength="60" value="\(e(name))"></label> \
            <label>表达式 Expression <input name="expr" size="60" value="\(e(expression))"></label> \
            <button>保存 Save</button></form>
            """
    }

    static func json(_ entries: [(SavedSegments.Entry, String?)]) -> String {
        let j = TextTable.jsonString
        let items = entries.map { entry, refusal in
            "{\"name\": \(j(entry.name)), \"expression\": \(j(entry.expression)), \"saved\": \(j(entry.saved)), \"refused\": \(refusal.map(j) ?? "null")}"
        }
        return "{\"saved_segments\": [" + items.joined(separator: ", ") + "]}"
    }
}
