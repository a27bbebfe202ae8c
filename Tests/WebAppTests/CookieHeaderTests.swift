import Testing
@testable import WebApp

/// Cookies that arrive in several Cookie fields (HTTP/2, or HTTPFields' own setter, which splits "a=1; b=2")
/// are all read: a browser that signs in again as someone else, holding a session and the sign-in form's
/// cookie, is not refused for a "missing" CSRF cookie.
@Suite struct CookieHeaderTests {
    @Test("signing in again in the same browser, as another user, takes effect")
    func signInAgain() async throws {
        let service = try WebFixture.service()
        let (first, second, who) = try await service.withAgent { agent in
            let first = try await agent.signIn("manager")
            let second = try await agent.signIn("prov")
            return (first, second, try await agent.get("/search"))
        }
        #expect(first.status == 303 && second.status == 303)
        #expect(who.body.contains("prov · 省局分析员"))
        let logins = try AuditChain.verify(service.auditLog.path).entries.filter { $0.action == "login" }
        #expect(logins.map(\.user) == ["manager", "prov"])
    }
}
