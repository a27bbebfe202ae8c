import DigiTagBase
import Foundation
import Testing
import TestSupport
@testable import WebApp

#if canImport(Glibc)
    import Glibc
#endif

/// What `digitag serve` refuses at start, with which exit code, and how it follows `current`.
@Suite struct ServeStartTests {
    func config(runs: String = WebFixture.runs, users: String = WebFixture.usersFile) -> ServeConfiguration {
        let dir = TestPaths.temporaryDirectory("web-start")
        return ServeConfiguration(runs: runs, samples: dir, usersFile: users, pipeline: WebFixture.pipeline, auditLog: dir + "/audit.log")
    }

    func status(_ body: () throws -> Void) -> (DigiTagBase.ExitStatus, String)? {
        do {
            try body()
            return nil
        } catch let e as any DigitagError { return (e.exitStatus, e.report.joined(separator: "\n")) } catch { return (DigiTagBase.ExitStatus.internalError, "\(error)") }
    }

    @Test("a missing users file is a configuration error naming it")
    func missingUsers() {
        let r = status { _ = try WebService.open(config(users: "/nonexistent/users.yaml"), pipeline: WebFixture.runPipeline) }
        #expect(r?.0 == .configuration)
        #expect(r?.1.contains("/nonexistent/users.yaml") == true)
    }

    @Test("a users file with an unknown role or a region of the wrong level is refused with its lines")
    func badUsers() {
        let dir = TestPaths.temporaryDirectory("web-users-bad")
        let path = TestPaths.write(
            """
            users:
              - {user: a, hash: "$2b$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234", role: mayor, region: "37"}
              - {user: b, hash: "$2b$04$abcdefghijklmnopqrstuuabcdefghijklmnopqrstuvwxyz01234", role: city_analyst, region: "370102"}

            """, to: dir, "users.yaml")
        let r = status { _ = try UserDirectory.load(path) }
        #expect(r?.0 == .configuration)
        #expect(r?.1.contains("users.yaml:2") == true && r?.1.contains("unknown role 'mayor'") == true)
        #expect(r?.1.contains("users.yaml:3") == true && r?.1.contains("is a county") == true)
    }

    @Test("no published run is an environment error that says what to do")
    func noRun() {
        let r = status { _ = try WebService.open(config(runs: TestPaths.temporaryDirectory("empty-runs")), pipeline: WebFixture.runPipeline) }
        #expect(r?.0 == .environment)
        #expect(r?.1.contains("no published run") == true)
    }

    @Test("an address in use is an environment error")
    func portInUse() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        try withUnsafeMutablePointer(to: &address) { p in
            try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                #expect(bind(fd, sa, length) == 0)
                #expect(listen(fd, 1) == 0)
                #expect(getsockname(fd, sa, &length) == 0)
                _ = try #require(Optional(sa))
            }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let r = status { try WebServer.checkAddressFree(host: "127.0.0.1", port: port) }
        #expect(r?.0 == .environment)
        #expect(r?.1.contains("another program listens there") == true)
    }

    @Test("a newly published run is served from the next request; a request in flight keeps its run")
    func followsCurrent() throws {
        let root = TestPaths.temporaryDirectory("web-switch")
        let first = root + "/2024-12-31"
        try FileManager.default.copyItem(atPath: URL(fileURLWithPath: WebFixture.runs + "/current").resolvingSymlinksInPath().path, toPath: first)
        try FileManager.default.createSymbolicLink(atPath: root + "/current", withDestinationPath: "2024-12-31")
        let runs = PublishedRuns(root: root, pipeline: WebFixture.runPipeline)
        let inFlight = try runs.current()
        #expect(inFlight.directory.hasSuffix("/2024-12-31"))
        // Publish "another" run the way the publisher does: a new folder, then `current` renamed over.
        try FileManager.default.copyItem(atPath: first, toPath: root + "/2025-01-31")
        try FileManager.default.createSymbolicLink(atPath: root + "/current.new", withDestinationPath: "2025-01-31")
        #expect(rename(root + "/current.new", root + "/current") == 0)
        #expect(try runs.current().directory.hasSuffix("/2025-01-31"))
        // The old run's folder is removed (retention); the request that holds it still reads.
        try FileManager.default.removeItem(atPath: first)
        let n = try inFlight.withStore { try $0.count("score >= 0 or not (score >= 0)") }
        #expect(n == WebFixture.classes.count)
    }
}
