import DataContract
import Foundation
import ProfileStore
import Query

extension WebService {
    /// The enterprise's profile and ordinal if it exists and lies in the user's region, else nil: the caller
    /// cannot tell the two apart.
    /// - Complexity: one row block of the store (`StoreReader.row(of:)`); the region from the run's census.
    func lookup(_ key: UInt128, policy: AccessPolicy, snapshot: RunSnapshot) throws -> (profile: EnterpriseProfile, ordinal: Int)? {
        try snapshot.withStore { q -> (profile: EnterpriseProfile, ordinal: Int)? in
            guard let row = try q.reader.row(of: key), policy.inScope(region: snapshot.census.regionCode(row.ordinal)) else { return nil }
            return (try EnterpriseProfile.profile(row, reader: q.reader, run: snapshot.directory), row.ordinal)
        }
    }

    func search(_ r: WebRequest, session s: Session, policy: AccessPolicy, snapshot: RunSnapshot) throws -> WebResponse {
        let text = r.query["q"] ?? ""
        do { try policy.require(.viewProfiles) } catch {
            try audit(r, s, action: "search", subject: text, size: 0, outcome: "refused")
            return refused(r, error, session: s)
        }
        if text.isEmpty { return r.isAPI ? .json(SearchPage.json(query: "", hits: [], total: 0)) : .html(SearchPage.html(query: "", verdict: nil, hits: [], total: 0, session: s)) }
        switch USCCInput.read(text) {
        case .invalid(let code, let reason):
            try audit(r, s, action: "search", subject: code, size: 0, outcome: "invalid")
            let verdict = "\(code) 不是有效的统一社会信用代码 is not a valid USCC: \(reason)"
            return r.isAPI
                ? .json(MessagePage.json(error: "invalid_uscc", message: verdict), status: 400)
                : .html(SearchPage.html(query: text, verdict: verdict, hits: [], total: 0, session: s), status: 400)
        case .code(let code, let key):
            let found = try lookup(key, policy: policy, snapshot: snapshot)?.profile
            try audit(r, s, action: "search", subject: code, size: found == nil ? 0 : 1, outcome: found == nil ? "not_found" : "ok")
            let hits = found.map { [NameSearch.Hit(uscc: $0.uscc, name: $0.name, region: $0.facts.first { $0.key == "region" }?.value ?? "")] } ?? []
            if r.isAPI { return .json(SearchPage.json(query: code, hits: hits, total: hits.count)) }
            if hits.isEmpty { return .html(SearchPage.html(query: text, verdict: Self.notFoundMessage, hits: [], total: 0, session: s), status: 404) }
            return .redirect("/enterprise/\(code)")
        case .name(let fragment):
            let (hits, total) = try NameSearch.find(fragment, in: snapshot, scope: policy.inScope(region:))
            try audit(r, s, action: "search", subject: fragment, size: total, outcome: "ok")
            return r.isAPI
                ? .json(SearchPage.json(query: fragment, hits: hits, total: total))
                : .html(SearchPage.html(query: fragment, verdict: nil, hits: hits, total: total, session: s))
        }
    }

    func profile(_ r: WebRequest, uscc text: String, session s: Session, policy: AccessPolicy, snapshot: RunSnapshot) throws -> WebResponse {
        let all = r.query["all"] == "1"
        do { try policy.require(.viewProfiles) } catch {
            try audit(r, s, action: "profile", subject: text, size: 0, outcome: "refused")
            return refused(r, error, session: s)
        }
        guard case .code(let code, let key) = USCCInput.read(text) else {
            try audit(r, s, action: "profile", subject: text, size: 0, outcome: "invalid")
            let why: String
            if case .invalid(_, let reason) = USCCInput.read(text) { why = reason } else { why = "a USCC has 18 letters and digits" }
            return failure(r, status: 400, title: "代码无效 Invalid code", message: "'\(text)' 不是有效的统一社会信用代码 is not a valid USCC: \(why)", error: "invalid_uscc", session: s)
        }
        guard let (found, ordinal) = try lookup(key, policy: policy, snapshot: snapshot) else {
            try audit(r, s, action: "profile", subject: code, size: 0, outcome: "not_found")
            return failure(r, status: 404, title: "未找到 Not found", message: Self.notFoundMessage, error: "not_found", session: s)
        }
        let visible = policy.visible(found)
        let history = try ProfileHistory.gather(key: key, ordinal: ordinal, raw: found, policy: policy, snapshot: snapshot, runs: runs)
        let others = try OtherEnterprises.find(ordinal: ordinal, policy: policy, snapshot: snapshot)
        try audit(r, s, action: "profile", subject: code, size: 1 + (others?.list.count ?? 0), outcome: "ok")
        return r.isAPI
            ? .json(ProfilePage.json(visible, all: all, history: history, others: others))
            : .html(ProfilePage.html(visible, all: all, history: history, others: others, session: s))
    }
}
