import TestSupport
import DigiTagBase
import Foundation
import Testing
@testable import WebApp

/// The audit log: one line per access, a chain that verifies, and that breaks at an edited, inserted or
/// deleted line.
@Suite struct AuditLogTests {
    /// A log written by real requests: sign-in, a profile, a search, a refused segment, a failed sign-in.
    static func writtenLog() async throws -> String {
        let service = try WebFixture.service()
        try await service.withAgent { agent in
            try await agent.signIn("jinan")
            _ = try await agent.get("/api/enterprises/\(RouteRoleMatrixTests.lixia)")
            _ = try await agent.get("/api/search?q=%E5%85%AC%E5%8F%B8")
            _ = try await agent.get("/api/segments?expr=" + HTML.queryValue("tax.rating == 'D'"))
            agent.cookies = [:]
            _ = try await agent.signIn("jinan", password: "wrong")
        }
        return service.auditLog.path
    }

    static func lines(_ path: String) -> [String] {
        TestPaths.read(path).split(separator: "\n").map(String.init)
    }

    @Test("every access is one line with user, role, address, action, subject, size and outcome; the chain verifies")
    func entries() async throws {
        let path = try await Self.writtenLog()
        let (entries, head) = try AuditChain.verify(path)
        #expect(entries.map(\.action) == ["login", "profile", "search", "segment.count", "login"])
        #expect(entries.map(\.outcome) == ["ok", "ok", "ok", "refused", "failed"])
        #expect(entries[1].subject == RouteRoleMatrixTests.lixia && entries[1].size == 1)
        #expect(entries[1].user == "jinan" && entries[1].role == "city_analyst" && entries[1].address == "10.0.0.1")
        #expect(entries[3].subject == "tax.rating == 'D'")
        #expect(head == AuditChain.hash(Self.lines(path).last!))
        // Each line carries the hash of the one before, computed here independently.
        let lines = Self.lines(path)
        for k in 1..<lines.count { #expect(lines[k].hasSuffix("\"prev\": \"\(AuditChain.hash(lines[k - 1]))\"}")) }
        #expect(lines[0].hasSuffix("\"prev\": \"\(String(repeating: "0", count: 64))\"}"))
    }

    func broken(_ path: String) -> AuditChainError? {
        do {
            _ = try AuditChain.verify(path)
            return nil
        } catch let e as AuditChainError { return e } catch { return nil }
    }

    @Test("an edited line breaks the chain at the line after it")
    func edited() async throws {
        let path = try await Self.writtenLog()
        var lines = Self.lines(path)
        lines[1] = lines[1].replacingOccurrences(of: "\"size\": 1", with: "\"size\": 0")
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let e = try #require(broken(path))
        #expect(e.line == 3)
        #expect(FailureStatus.of(e) == .verificationFailed)
    }

    @Test("an inserted line breaks the chain")
    func inserted() async throws {
        let path = try await Self.writtenLog()
        var lines = Self.lines(path)
        // A forged line that even carries the right prev: the line after it no longer matches.
        let forged = AuditEntry(time: Date(), user: "jinan", role: "city_analyst", address: "10.0.0.1", action: "profile", subject: "x", size: 1, outcome: "ok")
        lines.insert(forged.line(previousHash: AuditChain.hash(lines[1])), at: 2)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(broken(path)?.line == 4)
    }

    @Test("a deleted line breaks the chain, the first line included")
    func deleted() async throws {
        let path = try await Self.writtenLog()
        var lines = Self.lines(path)
        lines.remove(at: 2)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(broken(path)?.line == 3)
        lines.remove(at: 0)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(broken(path)?.line == 1)
    }

    @Test("a server does not open a broken log, and continues an intact one")
    func reopen() async throws {
        let path = try await Self.writtenLog()
        let log = try AuditLog(path: path)
        try log.append(AuditEntry(time: Date(), user: "a", role: "auditor", address: "x", action: "audit.read", subject: "", size: 0, outcome: "ok"))
        #expect(try AuditChain.verify(path).entries.count == 6)
        var lines = Self.lines(path)
        lines.remove(at: 1)
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: AuditChainError.self) { try AuditLog(path: path) }
    }

    @Test("audit show filters by user, enterprise and day")
    func filter() async throws {
        let (entries, _) = try AuditChain.verify(try await Self.writtenLog())
        #expect(AuditFilter(uscc: RouteRoleMatrixTests.lixia).table(entries).rows.count == 1)
        #expect(AuditFilter(user: "jinan").table(entries).rows.count == 5)
        #expect(AuditFilter(since: Day(iso: "2199-01-01")).table(entries).rows.isEmpty)
    }
}

/// The exit status an error means, as the command line decides it.
enum FailureStatus {
    static func of(_ e: any Error) -> DigiTagBase.ExitStatus { DigiTagBase.ExitStatus.of(e) }
}
