import DigiTagBase
import DigiTagIO
import Foundation

extension WebService {
    /// The audit log (with its rotated files) for a role with `read_audit`, filtered like `digitag audit show`; reading it is logged too.
    func auditEntries(_ r: WebRequest, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        do { try policy.require(.readAudit) } catch {
            try audit(r, s, action: "audit.read", subject: "", size: 0, outcome: "refused")
            return refused(r, error, session: s)
        }
        func value(_ k: String) -> String? { r.query[k].flatMap { $0.isEmpty ? nil : $0 } }
        let filter = AuditFilter(user: value("user"), uscc: value("uscc"), since: value("since").flatMap(Day.init(iso:)))
        let table = filter.table(try AuditChain.verify(files: AuditRotation.files(of: auditLog.path)).entries)
        try audit(r, s, action: "audit.read", subject: "", size: table.rows.count, outcome: "ok")
        return r.isAPI ? .json(table.json()) : .html(AuditPage.html(table, session: s))
    }
}
