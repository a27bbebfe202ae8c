import DigiTagBase

/// Server-rendered HTML: query values and the page frame. Every text that comes from data or from a request
/// goes through `HTMLText.escape` (DigiTagBase, the escaper report.html uses too); pages need no JavaScript
/// and load nothing from elsewhere (the style is inline).
public enum HTML {
    /// Percent-encodes a query parameter value (everything but unreserved ASCII).
    public static func queryValue(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + String(b, radix: 16, uppercase: true).leftPadded(2)
            }
        }
        return out
    }

    static let style = """
        body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;margin:0;color:#222}
        header{background:#1d3f6e;color:#fff;padding:.5em 1em;display:flex;gap:1.5em;align-items:center}
        header a{color:#fff}main{padding:1em;max-width:70em}
        table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left}
        .num{text-align:right}.bar{background:#5b8bd0;height:.8em;display:inline-block}
        .error{color:#a00;white-space:pre-wrap;font-family:monospace}.note{color:#555}
        .backtest-charts{display:flex;flex-wrap:wrap;gap:16px}
        form.inline{display:inline}
        """

    /// A whole page: header with the user, the navigation and the sign-out form (with its CSRF token).
    static func page(title: String, session: Session?, body: String) -> String {
        var nav = ""
        if let s = session {
            nav = """
                <a href="/dashboard">概览 Dashboard</a><a href="/search">搜索 Search</a><a href="/segments">分群 Segments</a>\
                <a href="/segments/saved">已保存 Saved</a>\
                \(s.user.role.permits(.viewProfiles) ? "<a href=\"/tasks\">抽查任务 Tasks</a>" : "")\
                \(s.user.role.permits(.readAudit) ? "<a href=\"/audit\">审计 Audit log</a>" : "")
                <span>\(HTMLText.escape(s.user.name)) · \(HTMLText.escape(s.user.role.nameZh)) \(HTMLText.escape(s.user.role.nameEn)) · \(HTMLText.escape(s.user.region.code))</span>
                <form class="inline" method="post" action="/logout"><input type="hidden" name="csrf_token" value="\(HTMLText.escape(s.csrfToken))">\
                <button>退出 Sign out</button></form>
                """
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN"><head><meta charset="utf-8"><title>\(HTMLText.escape(title)) · digitag</title>
            <style>\(style)</style></head>
            <body><header><strong>digitag 企业数字标签</strong>\(nav)</header>
            <main>\(body)</main></body></html>
            """
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: "0", count: n - count) + self }
}
