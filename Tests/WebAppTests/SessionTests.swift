import Hummingbird
import Foundation
import Testing
@testable import WebApp

/// Sign-in, cookies, CSRF, idle timeout, lock-out and the same answer for unknown users and wrong passwords.
@Suite struct SessionTests {
    @Test("a session cookie is HttpOnly and SameSite=Strict; Secure when configured behind TLS")
    func cookieFlags() async throws {
        let answer = try await WebFixture.service().withAgent { try await $0.signIn("jinan") }
        #expect(answer.status == 303 && answer.location == "/search")
        let cookie = try #require(answer.headers[values: .setCookie].first { $0.hasPrefix("digitag_session=") })
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        #expect(!cookie.contains("Secure"))
        let secure = try WebFixture.service()
        let behindTLS = WebService(
            configuration: { var c = secure.configuration; c.secureCookies = true; return c }(), users: secure.users, runs: secure.runs,
            auditLog: secure.auditLog)
        let tls = try await behindTLS.withAgent { try await $0.signIn("jinan") }
        #expect(tls.headers[values: .setCookie].contains { $0.hasPrefix("digitag_session=") && $0.contains("; Secure") })
    }

    @Test("signing out without the CSRF token is refused and keeps the session; with it, ends the session")
    func logoutNeedsCSRF() async throws {
        let (refused, still, token, out, after) = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("jinan")
            let refused = try await agent.send(.post, "/logout", form: [:])
            let page = try await agent.get("/search")
            let token = Agent.csrfToken(page.body)
            let out = try await agent.send(.post, "/logout", form: ["csrf_token": token ?? ""])
            let after = try await agent.get("/search")
            return (refused.status, page.status, token, out, after)
        }
        #expect(refused == 403)
        #expect(still == 200)
        #expect(token != nil)
        #expect(out.status == 303 && out.location == "/login")
        #expect(after.status == 303 && after.location == "/login")
    }

    @Test("the sign-in form without its token (a form posted from another site) is refused")
    func loginNeedsCSRF() async throws {
        let answer = try await WebFixture.service().withAgent { agent in
            try await agent.send(.post, "/login", form: ["user": "jinan", "password": WebFixture.password])
        }
        #expect(answer.status == 403)
        #expect(answer.headers[values: .setCookie].allSatisfy { !$0.hasPrefix("digitag_session=") })
    }

    @Test("the API signs out with X-CSRF-Token only")
    func apiLogout() async throws {
        let (without, with) = try await WebFixture.service().withAgent { agent in
            let login = try await agent.send(.post, "/api/session", form: ["user": "jinan", "password": WebFixture.password])
            let token = (try JSONSerialization.jsonObject(with: Data(login.body.utf8)) as! [String: Any])["csrf_token"] as! String
            let without = try await agent.send(.delete, "/api/session")
            let with = try await agent.send(.delete, "/api/session", headers: ["X-CSRF-Token": token])
            return (without.status, with.status)
        }
        #expect(without == 403)
        #expect(with == 200)
    }

    @Test("an unknown user and a wrong password get the same status and the same page")
    func noUserEnumeration() async throws {
        let (unknown, wrong) = try await WebFixture.service().withAgent { agent in
            (try await agent.signIn("nobody"), try await agent.signIn("jinan", password: "wrong password"))
        }
        #expect(unknown.status == 401 && wrong.status == 401)
        func withoutToken(_ s: String) -> String { s.replacingOccurrences(of: Agent.csrfToken(s) ?? "-", with: "") }
        #expect(withoutToken(unknown.body) == withoutToken(wrong.body))
        #expect(unknown.body.contains(LoginPage.failed))
        let (apiUnknown, apiWrong) = try await WebFixture.service().withAgent { agent in
            (try await agent.send(.post, "/api/session", form: ["user": "nobody", "password": "x"]),
             try await agent.send(.post, "/api/session", form: ["user": "jinan", "password": "x"]))
        }
        #expect(apiUnknown.status == apiWrong.status && apiUnknown.body == apiWrong.body)
    }

    @Test("five failures lock the account, even for the right password, and the lock ends by itself")
    func accountLockOut() async throws {
        let clock = TestClock()
        let service = try WebFixture.service(maxFailures: 5, clock: { clock.read() })
        let (locked, otherAddress) = try await service.withAgent { agent in
            for _ in 0..<5 { try await agent.signIn("jinan", password: "wrong") }
            let locked = try await agent.signIn("jinan").status
            agent.address = "10.9.9.9"
            return (locked, try await agent.signIn("jinan").status)
        }
        #expect(locked == 429)
        #expect(otherAddress == 429)
        clock.advance(minutes: 16)
        #expect(try await service.withAgent { try await $0.signIn("jinan").status } == 303)
    }

    @Test("many failures from one address lock that address for every account")
    func addressLockOut() async throws {
        let service = try WebFixture.service(maxFailures: 2)
        let (fromThere, fromElsewhere) = try await service.withAgent(address: "10.6.6.6") { agent in
            // 8 = 4 × 2 failures over different names: no account reaches its own limit of 2.
            for k in 0..<8 { try await agent.signIn("guess\(k)", password: "x") }
            let there = try await agent.signIn("prov").status
            agent.address = "10.7.7.7"
            return (there, try await agent.signIn("prov").status)
        }
        #expect(fromThere == 429)
        #expect(fromElsewhere == 303)
    }

    @Test("a session unused longer than the idle timeout ends")
    func idleTimeout() async throws {
        let clock = TestClock()
        let service = try WebFixture.service(clock: { clock.read() })
        try await service.withAgent { agent in
            try await agent.signIn("jinan")
            #expect(try await agent.get("/search").status == 200)
            clock.advance(minutes: 29)
            #expect(try await agent.get("/search").status == 200)
            clock.advance(minutes: 31)
            #expect(try await agent.get("/search").status == 303)
        }
    }
}
