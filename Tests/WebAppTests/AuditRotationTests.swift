import DigiTagBase
import Foundation
import TestSupport
import Testing
@testable import WebApp

/// Daily rotation of the audit log: a new day moves the file aside, the new file's first line chains to the
/// old file's last, and `verify(files:)` checks the files as one chain — a missing, reordered or cut file
/// breaks it; a pruned oldest file does not.
@Suite struct AuditRotationTests {
    static func at(_ iso: String) -> Date { try! Date(iso, strategy: .iso8601) }

    static func entry(_ iso: String, _ subject: String) -> AuditEntry {
        AuditEntry(time: at(iso), user: "jinan", role: "city_analyst", address: "10.0.0.1", action: "profile", subject: subject, size: 1, outcome: "ok")
    }

    /// SHA-256 in hex, by coreutils' sha256sum (not with AuditChain.hash).
    static func sha256(_ line: String) -> String { try! ProcessRunner.sha256sum(line) }

    static func lines(_ path: String) -> [String] { TestPaths.read(path).split(separator: "\n").map(String.init) }

    static func field(_ line: String, _ key: String) -> String? {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
        return o[key].map { "\($0)" }
    }

    /// A log written over three days (2, 1 and 1 entries): `audit.log.2025-01-06`, `audit.log.2025-01-07`, `audit.log`.
    static func threeDays() throws -> (dir: String, log: String) {
        let dir = TestPaths.temporaryDirectory("audit-rotation")
        let path = dir + "/audit.log"
        let log = try AuditLog(path: path, rotation: .daily)
        try log.append(entry("2025-01-06T08:00:00Z", "a"))
        try log.append(entry("2025-01-06T23:59:59Z", "b"))
        try log.append(entry("2025-01-07T00:00:01Z", "c"))
        try log.append(entry("2025-01-08T09:30:00Z", "d"))
        return (dir, path)
    }

    func broken(_ files: [String]) -> AuditChainError? {
        do {
            _ = try AuditChain.verify(files: files)
            return nil
        } catch let e as AuditChainError { return e } catch { return nil }
    }

    @Test("the first entry of a new day moves the file to <log>.<its day>; the new file starts with a line chaining to it")
    func rotates() throws {
        let (dir, log) = try Self.threeDays()
        #expect(FileSystem.list(dir) == ["audit.log", "audit.log.2025-01-06", "audit.log.2025-01-07"])
        let first = Self.lines(log + ".2025-01-06")
        let second = Self.lines(log + ".2025-01-07")
        let current = Self.lines(log)
        #expect(first.count == 2 && second.count == 2 && current.count == 2)
        #expect(first.map { Self.field($0, "subject") } == ["a", "b"])
        // The rotation line: names the file before, counts its entries, carries the hash of its last line.
        #expect(Self.field(second[0], "action") == "audit.rotate")
        #expect(Self.field(second[0], "subject") == "audit.log.2025-01-06")
        #expect(Self.field(second[0], "size") == "2")
        #expect(Self.field(second[0], "prev") == Self.sha256(first[1]))
        #expect(Self.field(second[1], "prev") == Self.sha256(second[0]))
        #expect(Self.field(current[0], "subject") == "audit.log.2025-01-07")
        #expect(Self.field(current[0], "prev") == Self.sha256(second[1]))
        #expect(Self.field(current[1], "subject") == "d")
        // Checked as one chain, found in order from the log's name.
        #expect(AuditRotation.files(of: log) == [log + ".2025-01-06", log + ".2025-01-07", log])
        let checked = try AuditChain.verify(files: AuditRotation.files(of: log))
        #expect(checked.entries.map(\.subject) == ["a", "b", "audit.log.2025-01-06", "c", "audit.log.2025-01-07", "d"])
        #expect(checked.head == Self.sha256(current[1]))
        #expect(checked.continues == nil)
    }

    @Test("a missing file between two others is named; so is a reordered set")
    func missing() throws {
        let (_, log) = try Self.threeDays()
        let e = try #require(broken([log + ".2025-01-06", log]))
        #expect(e.file == log && e.line == 1)
        #expect(e.description.contains("continues audit.log.2025-01-07, but the file given before it is audit.log.2025-01-06"))
        #expect(e.description.contains("audit.log.2025-01-07 is missing"))
        #expect(broken([log + ".2025-01-07", log + ".2025-01-06", log]) != nil)
        #expect(broken([log, log + ".2025-01-06"])?.file == log + ".2025-01-06")
    }

    @Test("a file cut at its end breaks the chain at the next file's first line")
    func cut() throws {
        let (_, log) = try Self.threeDays()
        let path = log + ".2025-01-06"
        let kept = Self.lines(path).dropLast()
        try (kept.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let e = try #require(broken(AuditRotation.files(of: log)))
        #expect(e.file == log + ".2025-01-07" && e.line == 1)
        #expect(e.description.contains("audit.log.2025-01-06 was cut or changed at its end"))
        #expect(ExitStatus.of(e) == .verificationFailed)
    }

    @Test("after the oldest file is deleted (retention), the rest still verifies and says what it continues")
    func pruned() throws {
        let (_, log) = try Self.threeDays()
        try FileManager.default.removeItem(atPath: log + ".2025-01-06")
        let checked = try AuditChain.verify(files: AuditRotation.files(of: log))
        #expect(checked.continues == "audit.log.2025-01-06")
        #expect(checked.entries.count == 4)
        // The current file alone verifies too (what a server checks at start).
        #expect(try AuditChain.verify(log).entries.count == 2)
        // But a file whose first lines were removed does not pass for a continuation.
        let path = log + ".2025-01-07"
        try (Self.lines(path).dropFirst().joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(broken([path])?.line == 1)
    }

    @Test("a reopened log goes on rotating; a rotation cut between its renames is finished at start")
    func reopen() throws {
        let (dir, log) = try Self.threeDays()
        // The crash: the old file already moved aside, the new one still under its temporary name (here the
        // current file plays the new one).
        try FileManager.default.moveItem(atPath: log, toPath: log + ".next")
        let reopened = try AuditLog(path: log, rotation: .daily)
        #expect(!FileSystem.exists(log + ".next"))
        try reopened.append(Self.entry("2025-01-09T07:00:00Z", "e"))
        #expect(FileSystem.list(dir) == ["audit.log", "audit.log.2025-01-06", "audit.log.2025-01-07", "audit.log.2025-01-08"])
        let checked = try AuditChain.verify(files: AuditRotation.files(of: log))
        #expect(checked.entries.map(\.subject).suffix(3) == ["d", "audit.log.2025-01-08", "e"])
    }

    @Test("without rotation, entries of several days stay in one file")
    func never() throws {
        let dir = TestPaths.temporaryDirectory("audit-rotation")
        let log = try AuditLog(path: dir + "/audit.log")
        try log.append(Self.entry("2025-01-06T08:00:00Z", "a"))
        try log.append(Self.entry("2025-01-07T08:00:00Z", "b"))
        #expect(FileSystem.list(dir) == ["audit.log"])
    }
}
