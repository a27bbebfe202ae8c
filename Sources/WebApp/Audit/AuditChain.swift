import DigiTagBase
import DigiTagIO
import Foundation

/// The hash chain of an audit log: each line carries the SHA-256 of the line before it (64 zeros on the
/// first), so an edited, inserted or deleted line breaks the chain at the line after it.
///
/// The last line has nothing after it: record `head` (printed by `digitag audit verify`) somewhere else,
/// a daily mail or ticket, to pin it too.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    public static func hash(_ line: some StringProtocol) -> String {
        HexDigest.sha256(line)
    }

    /// Lines of a log file, without their newlines (a last line without one counts too).
    static func lines(_ path: String) throws -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ServeError(.environment, "cannot read the audit log \(path)", advice: "check that it exists and is readable by this user")
        }
        let text = String(decoding: data, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Checks every line; returns the entries and the head hash, or throws naming the first broken line.
    public static func verify(_ path: String) throws -> (entries: [AuditEntry], head: String) {
        var previous = genesis
        var entries: [AuditEntry] = []
        for (i, line) in try lines(path).enumerated() {
            guard let (entry, prev) = AuditEntry.parse(line) else {
                throw AuditChainError(file: path, line: i + 1, problem: "is not an audit entry (a JSON object with time, user, …, prev)")
            }
            guard prev == previous else {
                throw AuditChainError(
                    file: path, line: i + 1,
                    problem: i == 0
                        ? "should start the chain (prev = 64 zeros) but carries \(prev.prefix(12))…: lines before it were removed"
                        : "carries prev \(prev.prefix(12))… but line \(i) hashes to \(previous.prefix(12))…: line \(i) was changed, or a line was inserted or deleted here")
            }
            entries.append(entry)
            previous = hash(line)
        }
        return (entries, previous)
    }
}

/// An audit log whose chain does not hold: which line, and what is wrong (exit 7, like a sample that does
/// not verify).
public struct AuditChainError: DigitagError, Sendable {
    public let file: String
    public let line: Int
    public let problem: String

    public init(file: String, line: Int, problem: String) {
        self.file = file
        self.line = line
        self.problem = problem
    }

    public var exitStatus: ExitStatus { .verificationFailed }
    public var description: String { "\(file):\(line): the audit chain is broken: line \(line) \(problem)" }
}
