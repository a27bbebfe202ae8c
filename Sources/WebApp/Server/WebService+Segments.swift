import Foundation
import Query

extension WebService {
    func segments(_ r: WebRequest, session s: Session, policy: AccessPolicy, snapshot: RunSnapshot) throws -> WebResponse {
        let expression = (r.query["expr"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let page = Int(r.query["page"] ?? "") ?? 1
        let canExport = policy.role.permits(.export)
        func answer(_ result: SegmentResult?, error: String?, status: Int) -> WebResponse {
            .html(SegmentPage.html(expression: expression, result: result, error: error, canExport: canExport, session: s), status: status)
        }
        do { try policy.require(.query) } catch {
            try audit(r, s, action: "segment.count", subject: expression, size: 0, outcome: "refused")
            return refused(r, error, session: s)
        }
        if expression.isEmpty {
            return r.isAPI ? .json(MessagePage.json(error: "invalid_expression", message: "expr is empty"), status: 400) : answer(nil, error: nil, status: 200)
        }
        do {
            let result = try SegmentService.run(expression, policy: policy, snapshot: snapshot, page: page)
            try audit(r, s, action: "segment.count", subject: expression, size: result.total, outcome: "ok")
            return r.isAPI ? .json(SegmentPage.json(result)) : answer(result, error: nil, status: 200)
        } catch let e as AccessRefusal {
            try audit(r, s, action: "segment.count", subject: expression, size: 0, outcome: "refused")
            return r.isAPI ? refused(r, e, session: s) : answer(nil, error: e.message, status: 403)
        } catch let e as QueryError {
            try audit(r, s, action: "segment.count", subject: expression, size: 0, outcome: "invalid")
            return r.isAPI ? .json(MessagePage.json(error: "invalid_expression", message: e.description), status: 400) : answer(nil, error: e.description, status: 400)
        }
    }

    func segmentsCSV(_ r: WebRequest, session s: Session, policy: AccessPolicy, snapshot: RunSnapshot) throws -> WebResponse {
        let expression = (r.query["expr"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let columns = (r.query["columns"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        do {
            let (bytes, rows) = try SegmentService.csv(
                expression, columns: columns, policy: policy, snapshot: snapshot, scratch: configuration.scratch)
            try audit(r, s, action: "segment.export", subject: expression, size: rows, outcome: "ok")
            return WebResponse(
                status: 200, contentType: "text/csv; charset=utf-8", body: bytes,
                headers: [("Content-Disposition", "attachment; filename=\"segment.csv\"")])
        } catch let e as AccessRefusal {
            try audit(r, s, action: "segment.export", subject: expression, size: 0, outcome: "refused")
            return refused(r, e, session: s)
        } catch let e as QueryError {
            try audit(r, s, action: "segment.export", subject: expression, size: 0, outcome: "invalid")
            return failure(r, status: 400, title: "表达式错误 Invalid expression", message: e.description, error: "invalid_expression", session: s)
        }
    }
}
