import DigiTagBase
import DigiTagIO

/// Search: one box for a USCC or part of a name.
enum SearchPage {
    static func html(query: String, verdict: String?, hits: [NameSearch.Hit], total: Int, session: Session) -> String {
        var body = """
            <h1>搜索 Search</h1>
            <form method="get" action="/search"><input name="q" size="40" value="\(HTMLText.escape(query))" \
            placeholder="统一社会信用代码或企业名称 USCC or part of a name"> <button>搜索 Search</button></form>
            """
        if let verdict { body += "<p class=\"error\">\(HTMLText.escape(verdict))</p>" }
        if !query.isEmpty && verdict == nil {
            body += "<p>\(total) 家企业 enterprises\(total > hits.count ? "（显示前 \(hits.count) 家 first \(hits.count) shown）" : "")</p>"
            if !hits.isEmpty {
                body += "<table><tr><th>统一社会信用代码 USCC</th><th>名称 Name</th><th>地区 Region</th></tr>"
                for h in hits {
                    body += "<tr><td><a href=\"/enterprise/\(HTMLText.escape(h.uscc))\">\(HTMLText.escape(h.uscc))</a></td><td>\(HTMLText.escape(h.name))</td><td>\(HTMLText.escape(h.region))</td></tr>"
                }
                body += "</table>"
            }
        }
        return HTML.page(title: "搜索 Search", session: session, body: body)
    }

    static func json(query: String, hits: [NameSearch.Hit], total: Int) -> String {
        let s = TextTable.jsonString
        return "{\"query\": \(s(query)), \"total\": \(total), \"hits\": ["
            + hits.map { "{\"uscc\": \(s($0.uscc)), \"name\": \(s($0.name)), \"region\": \(s($0.region))}" }.joined(separator: ", ") + "]}"
    }
}
