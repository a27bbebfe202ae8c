import DigiTagBase
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The append-only audit log: one JSON line per access to enterprise data or change, fsync'd before the
/// response goes out, each carrying the hash of the line before.
///
/// Opening checks the whole current file, so a server never extends a log that was tampered with. Appends
/// are serialised for writing (one writer, many requests) and grouped for syncing: each line is chained and
/// written under the lock, in the order of the chain, then the request waits until an fsync that began after
/// its write has finished. One fsync covers every line written before it began, so requests arriving while a
/// sync is under way share the next one (group commit) instead of queueing one fsync each. With `.daily`
/// rotation the first entry of a new day first moves the file aside (`AuditRotation`), the chain running on
/// into the new file.
public final class AuditLog: @unchecked Sendable {
    // @unchecked Sendable: `state`, `written`, `durable`, `syncing` and `failure` are touched only while
    // `condition` is locked; the fd is fsync'd outside the lock only by the one appender that set `syncing`,
    // and rotation (which closes it) waits until no sync is under way.
    public let path: String
    public let rotation: AuditRotation
    private let condition = NSCondition()
    /// The file descriptor (O_APPEND), the hash of the last line, the day (UTC) of the last entry and the
    /// number of entries of the current file.
    private var state: (fd: Int32, head: String, day: String?, count: Int)
    /// Lines written since the log was opened, and how many of them are known to be on disk.
    private var written: UInt64 = 0
    private var durable: UInt64 = 0
    /// Whether an appender is in fsync now (outside the lock).
    private var syncing = false
    /// The last failed fsync: the lines it was to cover (after `from`, up to `through`) and its error.
    private var failure: (from: UInt64, through: UInt64, error: any Error)?
    /// fsync calls made for appended lines.
    private var syncs = 0

    public init(path: String, rotation: AuditRotation = .never) throws {
        self.path = path
        self.rotation = rotation
        // A rotation interrupted between its two renames left the new file under its temporary name.
        if !FileSystem.exists(path) && FileSystem.exists(Self.nextPath(path)) {
            guard rename(Self.nextPath(path), path) == 0 else { throw WriteError.fromErrno(path, errno) }
        }
        var head = AuditChain.genesis
        var day: String?
        var count = 0
        if FileSystem.exists(path) {
            let checked = try AuditChain.verify(path)
            head = checked.head
            day = checked.entries.last.map { String(AuditEntry.timestamp($0.time).prefix(10)) }
            count = checked.entries.count
        }
        let fd = try Self.openForAppend(path)
        state = (fd, head, day, count)
    }

    deinit { _ = close(state.fd) }

    static func nextPath(_ path: String) -> String { path + ".next" }

    /// fsync calls made for appended lines since the log was opened: fewer than the lines when appends overlap.
    var syncCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return syncs
    }

    static func openForAppend(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw WriteError.fromErrno(path, errno) }
        return fd
    }

    /// Writes the entry and returns once it is on disk; a failed write or sync is an error the request must
    /// not hide.
    public func append(_ entry: AuditEntry) throws {
        condition.lock()
        defer { condition.unlock() }
        let day = String(AuditEntry.timestamp(entry.time).prefix(10))
        if rotation == .daily, let last = state.day, last < day {
            try syncWritten()
            try rotate(lastDay: last, at: entry.time)
        }
        let line = entry.line(previousHash: state.head)
        try Self.writeUnsynced(line, to: state.fd, path: path)
        state.head = AuditChain.hash(line)
        state.day = day
        state.count += 1
        written += 1
        let mine = written
        while durable < mine {
            if let f = failure, f.from < mine && mine <= f.through { throw f.error }
            if syncing {
                condition.wait()
                continue
            }
            // Lead a sync for every line written so far (this one and any written while the last sync ran).
            syncing = true
            syncs += 1
            let fd = state.fd
            let target = written
            condition.unlock()
            let failed = fsync(fd) != 0 ? errno : 0
            condition.lock()
            syncing = false
            if failed == 0 {
                durable = max(durable, target)
            } else {
                failure = (durable, target, WriteError.fromErrno(path, failed))
            }
            condition.broadcast()
        }
    }

    /// Every line written is on disk: waits for a sync under way, then syncs the rest here (under the lock:
    /// only before a rotation, once a day).
    private func syncWritten() throws {
        while syncing { condition.wait() }
        guard durable < written else { return }
        syncs += 1
        if fsync(state.fd) != 0 {
            let e = WriteError.fromErrno(path, errno)
            failure = (durable, written, e)
            condition.broadcast()
            throw e
        }
        durable = written
        condition.broadcast()
    }

    /// Moves the current file to `<log>.<its day>` and continues in a new `<log>` whose first line names it and
    /// chains to its last line. The new file is complete on disk (written under `<log>.next`, fsync'd) before
    /// the renames, so a crash leaves either the old state or both files (`init` finishes the second rename).
    private func rotate(lastDay: String, at time: Date) throws {
        let rotated = AuditRotation.rotatedPath(path, day: Substring(lastDay))
        let marker = AuditEntry(
            time: time, user: "digitag", role: "", address: "", action: AuditRotation.action,
            subject: (rotated as NSString).lastPathComponent, size: state.count, outcome: "ok")
        let line = marker.line(previousHash: state.head)
        let next = Self.nextPath(path)
        unlink(next)
        let fd = try Self.openForAppend(next)
        do {
            try Self.writeLine(line, to: fd, path: next)
        } catch {
            close(fd)
            throw error
        }
        guard rename(path, rotated) == 0 else {
            close(fd)
            throw WriteError.fromErrno(rotated, errno)
        }
        guard rename(next, path) == 0 else {
            close(fd)
            throw WriteError.fromErrno(path, errno)
        }
        Self.syncDirectory(of: path)
        close(state.fd)
        state.fd = fd
        state.head = AuditChain.hash(line)
        state.count = 1
    }

    /// Writes the line and syncs it (the rotation line, which must be on disk before the renames).
    static func writeLine(_ line: String, to fd: Int32, path: String) throws {
        try writeUnsynced(line, to: fd, path: path)
        if fsync(fd) != 0 { throw WriteError.fromErrno(path, errno) }
    }

    /// Writes the line and its newline in full (not yet synced).
    static func writeUnsynced(_ line: String, to fd: Int32, path: String) throws {
        let bytes = Array((line + "\n").utf8)
        var done = 0
        while done < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteError.fromErrno(path, errno)
            }
            done += n
        }
    }

    /// The renames are on disk only once the folder is synced.
    static func syncDirectory(of path: String) {
        let dir = FileSystem.directoryOf(path)
        let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }
}
