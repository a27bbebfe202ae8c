import DigiTagBase
import Foundation

/// When the server starts a new audit file, and what the files are called.
///
/// Daily: the first entry of a new UTC day moves the file to `<log>.<day of its entries>` (`audit.log.2025-01-06`)
/// and starts a new `<log>` whose first line, `audit.rotate`, names that file and carries the hash of its last
/// line, so the chain runs on across files. The server does it itself, between two appends, because it is the
/// only writer: a rotation from outside (logrotate, a cron `mv`) would have the server go on writing to the moved
/// file through its open descriptor and split the chain. Daily files let an operator keep the 180 days that
/// graded protection requires by file date, and keep the start-up check (the whole current file) short.
public enum AuditRotation: Sendable {
    case never
    case daily

    /// The action of the first line of a rotated-in file.
    public static let action = "audit.rotate"

    /// `<log>.<day>`, or `<log>.<day>.<k>` (k from 2) if that exists already.
    static func rotatedPath(_ log: String, day: Substring) -> String {
        let base = "\(log).\(day)"
        if !FileSystem.exists(base) { return base }
        var k = 2
        while FileSystem.exists("\(base).\(k)") { k += 1 }
        return "\(base).\(k)"
    }

    /// The rotated files of a log in chain order (oldest first), then the log itself if it exists: the set
    /// `digitag audit verify` checks when given the log alone with `--rotated`, and the audit page reads.
    public static func files(of log: String) -> [String] {
        let dir = FileSystem.directoryOf(log)
        let name = (log as NSString).lastPathComponent
        var rotated: [(day: String, k: Int, path: String)] = []
        for file in FileSystem.list(dir.isEmpty ? "." : dir) where file.hasPrefix(name + ".") {
            let parts = file.dropFirst(name.count + 1).split(separator: ".", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), Day(iso: String(parts[0])) != nil else { continue }
            let k = parts.count == 2 ? Int(parts[1]) : 1
            guard let k else { continue }
            rotated.append((String(parts[0]), k, FileSystem.join(dir, file)))
        }
        rotated.sort { ($0.day, $0.k) < ($1.day, $1.k) }
        return rotated.map(\.path) + (FileSystem.exists(log) ? [log] : [])
    }
}
