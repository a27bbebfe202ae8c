import Foundation

extension WebService {
    /// The sign-in form, with a fresh token in a cookie and in the form (double submit): a form posted from
    /// another site carries neither.
    func loginForm(_ r: WebRequest) -> WebResponse {
        let token = Session.randomToken()
        var response = WebResponse.html(LoginPage.html(message: nil, loginToken: token))
        response.headers.append(cookie(Self.loginCookie, token, path: "/login"))
        return response
    }

    func login(_ r: WebRequest) throws -> WebResponse {
        if !r.isAPI {
            guard let sent = r.form["csrf_token"], !sent.isEmpty, sent == r.cookies[Self.loginCookie] else {
                return failure(r, status: 403, title: "请求无效 Invalid request", message: "missing or wrong CSRF token: reload the sign-in page", error: "csrf", session: nil)
            }
        }
        let name = r.form["user"] ?? ""
        let password = r.form["password"] ?? ""
        func again(_ message: String, status: Int) -> WebResponse {
            if r.isAPI { return .json(MessagePage.json(error: status == 429 ? "locked" : "login_failed", message: message), status: status) }
            let token = Session.randomToken()
            var response = WebResponse.html(LoginPage.html(message: message, loginToken: token), status: status)
            response.headers.append(cookie(Self.loginCookie, token, path: "/login"))
            return response
        }
        if throttle.isLocked(account: name, address: r.address) {
            try audit(r, user: name, role: "", action: "login", subject: "", size: 0, outcome: "locked")
            return again(LoginPage.locked, status: 429)
        }
        guard let user = users.authenticate(name, password: password) else {
            throttle.recordFailure(account: name, address: r.address)
            try audit(r, user: name, role: "", action: "login", subject: "", size: 0, outcome: "failed")
            return again(LoginPage.failed, status: 401)
        }
        throttle.recordSuccess(account: name)
        let session = sessions.create(for: user)
        try audit(r, session, action: "login", subject: "", size: 0, outcome: "ok")
        var response: WebResponse =
            r.isAPI
            ? .json(
                "{\"user\": \"\(user.name)\", \"role\": \"\(user.role.id)\", \"region\": \"\(user.region.code)\", \"csrf_token\": \"\(session.csrfToken)\"}")
            : .redirect("/search")
        response.headers.append(cookie(Self.sessionCookie, session.id))
        response.headers.append(cookie(Self.loginCookie, "", path: "/login", maxAge: 0))
        return response
    }

    /// Signing out changes state, so it needs the session's CSRF token (form field, or X-CSRF-Token for the API).
    func logout(_ r: WebRequest) throws -> WebResponse {
        guard let s = session(r) else { return r.isAPI ? .json("{}", status: 401) : .redirect("/login") }
        let sent = r.isAPI ? r.headers["x-csrf-token"] : r.form["csrf_token"]
        guard let sent, sent == s.csrfToken else {
            return failure(r, status: 403, title: "请求无效 Invalid request", message: "missing or wrong CSRF token", error: "csrf", session: s)
        }
        sessions.end(s.id)
        try audit(r, s, action: "logout", subject: "", size: 0, outcome: "ok")
        var response: WebResponse = r.isAPI ? .json("{}") : .redirect("/login")
        response.headers.append(cookie(Self.sessionCookie, "", maxAge: 0))
        return response
    }
}
