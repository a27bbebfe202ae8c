extension WebService {
    /// The dashboard of the user's scope: counts, so the `query` permission, and classes, so a role that sees them.
    func dashboard(_ r: WebRequest, session s: Session, policy: AccessPolicy, snapshot: RunSnapshot) throws -> WebResponse {
        do throws(AccessRefusal) {
            try policy.require(.query)
            if let why = policy.refusal(tag: "class") { throw AccessRefusal(why) }
        } catch {
            try audit(r, s, action: "dashboard", subject: s.user.region.code, size: 0, outcome: "refused")
            return refused(r, error, session: s)
        }
        let d = try Dashboard.gather(policy: policy, snapshot: snapshot, runs: runs)
        try audit(r, s, action: "dashboard", subject: s.user.region.code, size: d.total, outcome: "ok")
        return r.isAPI ? .json(DashboardPage.json(d)) : .html(DashboardPage.html(d, session: s))
    }
}
