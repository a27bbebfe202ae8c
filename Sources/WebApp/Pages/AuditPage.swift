import DigiTagBase
import DigiTagIO

/// The audit log for a role that may read it: the latest entries first, filtered like `digitag audit show`.
enum AuditPage {
    static func html(_ table: TextTable, session: Session) -> String {
        var body = "<h1>审计日志 Audit log</h1><form method=\"get\" action=\"/audit\">"
        body += "<label>用户 user <input name=\"user\"></label> <label>企业 USCC <input name=\"uscc\"></label> "
        body += "<label>起始 since <input name=\"since\" placeholder=\"2025-01-01\"></label> <button>筛选 Filter</button></form><table><tr>"
        body += table.header.map { "<th>\(HTMLText.escape($0))</th>" }.joined() + "</tr>"
        for r in table.rows.reversed().prefix(500) { body += "<tr>" + r.map { "<td>\(HTMLText.escape($0))</td>" }.joined() + "</tr>" }
        return HTML.page(title: "审计日志 Audit log", session: session, body: body + "</table>")
    }
}
