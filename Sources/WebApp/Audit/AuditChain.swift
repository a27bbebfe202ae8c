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

    /// Checks every line of one file; returns the entries and the head hash, or throws naming the first broken
    /// line. A file that begins with a rotation line continues an earlier file, which is not checked here.
    public static func verify(_ path: String) throws -> (entries: [AuditEntry], head: String) {
        let checked = try verify(files: [path])
        return (checked.entries, checked.head)
    }

    /// What `verify(files:)` found: every entry in order, the head, and the file the first one continues
    /// (nil when the chain starts in the first file given).
    public struct Checked: Sendable {
        public var entries: [AuditEntry]
        public var head: String
        public var continues: String?
    }

    /// Checks a log and its rotated files as one chain, oldest file first. Each file after the first must
    /// begin with the rotation line that names the file given before it and carries the hash of that file's
    /// last line: a missing, reordered, cut or edited file is found at the line where the chain breaks.
    /// The first file may continue a file not given (older files are deleted after their retention).
    public static func verify(files paths: [String]) throws -> Checked {
        var previous = genesis
        var entries: [AuditEntry] = []
        var continues: String?
        for (k, path) in paths.enumerated() {
            for (i, line) in try lines(path).enumerated() {
                guard let (entry, prev) = AuditEntry.parse(line) else {
                    throw AuditChainError(file: path, line: i + 1, problem: "is not an audit entry (a JSON object with time, user, …, prev)")
                }
                if i == 0 {
                    try checkStart(path, entry: entry, prev: prev, before: k == 0 ? nil : (paths[k - 1], previous))
                    if k == 0 && entry.action == AuditRotation.action { continues = entry.subject }
                } else if prev != previous {
                    throw AuditChainError(
                        file: path, line: i + 1,
                        problem: "carries prev \(prev.prefix(12))… but line \(i) hashes to \(previous.prefix(12))…: line \(i) was changed, or a line was inserted or deleted here")
                }
                entries.append(entry)
                previous = hash(line)
            }
        }
        return Checked(entries: entries, head: previous, continues: continues)
    }

    /// The first line of a file: the start of the chain (64 zeros), or a rotation line continuing the file
    /// before it (`before`: that file and the hash of its last line; nil for the first file given).
    static func checkStart(_ path: String, entry: AuditEntry, prev: String, before: (path: String, head: String)?) throws {
        let rotated = entry.action == AuditRotation.action
        guard let before else {
            if rotated || prev == genesis { return }
            throw AuditChainError(
                file: path, line: 1, problem: "should start the chain (prev = 64 zeros) but carries \(prev.prefix(12))…: lines before it were removed")
        }
        let name = (before.path as NSString).lastPathComponent
        guard rotated else {
            throw AuditChainError(
                file: path, line: 1,
                problem: "does not continue \(name) (it is not a rotation line): the files are not given oldest first, or \(name) is not the file before \(path)")
        }
        guard entry.subject == name else {
            throw AuditChainError(
                file: path, line: 1,
                problem: "continues \(entry.subject), but the file given before it is \(name): \(entry.subject) is missing, or the files are out of order")
        }
        guard prev == before.head else {
            throw AuditChainError(
                file: path, line: 1,
                problem: "carries prev \(prev.prefix(12))… but the last line of \(name) hashes to \(before.head.prefix(12))…: \(name) was cut or changed at its end")
        }
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
