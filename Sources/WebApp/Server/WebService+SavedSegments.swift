import DigiTagBase
import DigiTagIO
import Foundation
import Query

extension WebService {
    /// The session's CSRF token came with a request that changes something: the form field for pages, the
    /// X-CSRF-Token header (or the form field) for the API.
    func carriesToken(_ r: WebRequest, _ s: Session) -> Bool {
        let sent = r.isAPI ? (r.headers["x-csrf-token"] ?? r.form["csrf_token"]) : r.form["csrf_token"]
        return sent == s.csrfToken
    }

    func csrfRefused(_ r: WebRequest, _ s: Session) -> WebResponse {
        failure(r, status: 403, title: "请求无效 Invalid request", message: "missing or wrong CSRF token: reload the page", error: "csrf", session: s)
    }

    /// The user's saved segments, each with whether the role may still run it on the current run.
    func listSaved(_ r: WebRequest, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        do { try policy.require(.query) } catch { return refused(r, error, session: s) }
        let entries = savedSegments.list(user: s.user.name).map { e -> (SavedSegments.Entry, String?) in
            do throws(AccessRefusal) {
                try policy.check(expression: e.expression)
                return (e, nil)
            } catch { return (e, error.message) }
        }
        return r.isAPI ? .json(SavedSegmentPage.json(entries)) : .html(SavedSegmentPage.html(entries, message: nil, session: s))
    }

    /// Saves an expression under a name, after the same checks a run makes (role, sensitivity, syntax).
    func saveSegment(_ r: WebRequest, session s: Session, policy: AccessPolicy, snapshot: RunSnapshot) throws -> WebResponse {
        guard carriesToken(r, s) else { return csrfRefused(r, s) }
        let name = (r.form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let expression = (r.form["expr"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let subject = "\(name): \(expression)"
        func invalid(_ message: String, status: Int = 400) throws -> WebResponse {
            try audit(r, s, action: "segment.save", subject: subject, size: 0, outcome: status == 403 ? "refused" : "invalid")
            if r.isAPI { return .json(MessagePage.json(error: status == 403 ? "refused" : "invalid_segment", message: message), status: status) }
            let entries = savedSegments.list(user: s.user.name).map { ($0, String?.none) }
            return .html(SavedSegmentPage.html(entries, message: message, session: s), status: status)
        }
        do throws(AccessRefusal) {
            try policy.require(.query)
            try policy.check(expression: expression)
        } catch { return try invalid(error.message, status: 403) }
        if expression.isEmpty { return try invalid("expr is empty") }
        do {
            _ = try snapshot.withStore { try $0.compile(expression, boolean: true) }
        } catch let e as QueryError { return try invalid(e.description) }
        if let problem = try savedSegments.save(user: s.user.name, name: name, expression: expression, at: clock()) {
            return try invalid(problem)
        }
        try audit(r, s, action: "segment.save", subject: subject, size: 0, outcome: "ok")
        return r.isAPI ? .json("{\"saved\": \(TextTable.jsonString(name))}") : .redirect("/segments/saved")
    }

    func deleteSegment(_ r: WebRequest, session s: Session, policy: AccessPolicy) throws -> WebResponse {
        guard carriesToken(r, s) else { return csrfRefused(r, s) }
        do { try policy.require(.query) } catch { return refused(r, error, session: s) }
        let name = r.isAPI ? (r.query["name"] ?? r.form["name"] ?? "") : (r.form["name"] ?? "")
        guard try savedSegments.delete(user: s.user.name, name: name) else {
            return failure(r, status: 404, title: "未找到 Not found", message: "no saved segment named '\(name)'", error: "not_found", session: s)
        }
        try audit(r, s, action: "segment.delete", subject: name, size: 0, outcome: "ok")
        return r.isAPI ? .json("{\"deleted\": \(TextTable.jsonString(name))}") : .redirect("/segments/saved")
    }

    /// Runs a saved segment as if its expression had been typed now: the access policy of the user's role now
    /// and the catalog of the current run decide, not those of the day it was saved.
    func runSaved(_ r: WebRequest, session s: Session, policy: AccessPolicy, snapshot: RunSnapshot) throws -> WebResponse {
        let name = r.query["name"] ?? ""
        do { try policy.require(.query) } catch {
            try audit(r, s, action: "segment.count", subject: "saved: \(name)", size: 0, outcome: "refused")
            return refused(r, error, session: s)
        }
        guard let entry = savedSegments.entry(user: s.user.name, name: name) else {
            return failure(r, status: 404, title: "未找到 Not found", message: "no saved segment named '\(name)'", error: "not_found", session: s)
        }
        var asTyped = r
        asTyped.query["expr"] = entry.expression
        return try segments(asTyped, session: s, policy: policy, snapshot: snapshot)
    }
}
