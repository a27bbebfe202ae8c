import DigiTagBase
import DigiTagIO

/// Segments: the expression box, counts by city, county and class with bars, one page of the list, the
/// CSV link.
enum SegmentPage {
    static func html(expression: String, result: SegmentResult?, error: String?, canExport: Bool, session: Session) -> String {
        let e = HTMLText.escape
        var body = """
            <h1>分群 Segments</h1>
            <form method="get" action="/segments"><textarea name="expr" rows="3" cols="80" \
            placeholder="abnormal.listed and city == '3701'">\(e(expression))</textarea><br><button>查询 Run</button></form>
            """
        if let error { body += "<pre class=\"error\">\(e(error))</pre>" }
        if let r = result {
            body += "<p><strong>\(r.total)</strong> / \(r.enterprisesInScope) 家企业 enterprises in your area (\(e(session.user.region.code)))"
            if canExport { body += " · <a href=\"/segments.csv?expr=\(HTML.queryValue(r.expression))\">下载 CSV download</a>" }
            body += "</p>"
            body += "<details><summary>保存此分群 Save this segment</summary>"
            body += SavedSegmentPage.saveForm(name: "", expression: r.expression, session: session) + "</details>"
            for (title, counts) in [("按市 By city", r.byCity), ("按县区 By county", r.byCounty), ("按类别 By class", r.byClass)] where !counts.isEmpty {
                let top = max(1, counts.map(\.count).max() ?? 1)
                body += "<h3>\(title)</h3><table>"
                for c in counts {
                    body += "<tr><td>\(e(c.key)) \(e(c.name))</td><td class=\"num\">\(c.count)</td><td><span class=\"bar\" style=\"width:\(c.count * 200 / top)px\"></span></td></tr>"
                }
                body += "</table>"
            }
            body += "<h3>名单 List (第 \(r.page) / \(r.pageCount) 页 page)</h3><table><tr><th>统一社会信用代码 USCC</th><th>名称 Name</th><th>地区 Region</th><th>类别 Class</th><th>分值 Score</th></tr>"
            for row in r.rows {
                body += "<tr><td><a href=\"/enterprise/\(e(row.uscc))\">\(e(row.uscc))</a></td><td>\(e(row.name))</td><td>\(e(row.region)) \(e(row.regionName))</td><td>\(e(row.riskClass))</td><td class=\"num\">\(e(row.score))</td></tr>"
            }
            body += "</table><p>"
            let q = HTML.queryValue(r.expression)
            if r.page > 1 { body += "<a href=\"/segments?expr=\(q)&amp;page=\(r.page - 1)\">上一页 Previous</a> " }
            if r.page < r.pageCount { body += "<a href=\"/segments?expr=\(q)&amp;page=\(r.page + 1)\">下一页 Next</a>" }
            body += "</p>"
        }
        return HTML.page(title: "分群 Segments", session: session, body: body)
    }

    static func json(_ r: SegmentResult) -> String {
        let s = TextTable.jsonString
        func counts(_ c: [SegmentResult.Count]) -> String {
            "[" + c.map { "{\"key\": \(s($0.key)), \"name\": \(s($0.name)), \"count\": \($0.count)}" }.joined(separator: ", ") + "]"
        }
        var out = "{\"expression\": \(s(r.expression)), \"as_of\": \(s(r.asOf)), \"total\": \(r.total), \"enterprises_in_scope\": \(r.enterprisesInScope), "
        out += "\"by_city\": \(counts(r.byCity)), \"by_county\": \(counts(r.byCounty)), \"by_class\": \(counts(r.byClass)), "
        out += "\"page\": \(r.page), \"page_size\": \(r.pageSize), \"pages\": \(r.pageCount), \"rows\": ["
        out += r.rows.map {
            "{\"uscc\": \(s($0.uscc)), \"name\": \(s($0.name)), \"region\": \(s($0.region)), \"class\": \(s($0.riskClass)), \"score\": \(s($0.score))}"
        }.joined(separator: ", ")
        return out + "]}"
    }
}
