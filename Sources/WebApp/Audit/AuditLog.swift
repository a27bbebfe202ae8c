import DigiTagBase
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The append-only audit log: one JSON line per access to enterprise data or change, fsync'd before the
/// response goes out, each carrying the hash of the line before.
///
/// Opening checks the whole current file, so a server never extends a log that was tampered with; appends are
/// serialised (one writer, many requests). With `.daily` rotation the first entry of a new day first moves the
/// file aside (`AuditRotation`), the chain running on into the new file.
public final class AuditLog: Sendable {
    public let path: String
    public let rotation: AuditRotation
    /// The file descriptor (O_APPEND), the hash of the last line, the day (UTC) of the last entry and the
    /// number of entries of the current file.
    let state: Mutex<(fd: Int32, head: String, day: String?, count: Int)>

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
        state = Mutex((fd, head, day, count))
    }

    deinit { state.withLock { _ = close($0.fd) } }

    static func nextPath(_ path: String) -> String { path + ".next" }

    static func openForAppend(_ path: String) throws -> Int32 {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw WriteError.fromErrno(path, errno) }
        return fd
    }

    /// Writes the entry and forces it to disk; a failed write is an error the request must not hide.
    public func append(_ entry: AuditEntry) throws {
        try state.withLock { s in
            let day = String(AuditEntry.timestamp(entry.time).prefix(10))
            if rotation == .daily, let last = s.day, last < day { try rotate(&s, lastDay: last, at: entry.time) }
            let line = entry.line(previousHash: s.head)
            try Self.writeLine(line, to: s.fd, path: path)
            s.head = AuditChain.hash(line)
            s.day = day
            s.count += 1
        }
    }

    /// Moves the current file to `<log>.<its day>` and continues in a new `<log>` whose first line names it and
    /// chains to its last line. The new file is complete on disk (written under `<log>.next`, fsync'd) before
    /// the renames, so a crash leaves either the old state or both files (`init` finishes the second rename).
    func rotate(_ s: inout (fd: Int32, head: String, day: String?, count: Int), lastDay: String, at time: Date) throws {
        let rotated = AuditRotation.rotatedPath(path, day: Substring(lastDay))
        let marker = AuditEntry(
            time: time, user: "digitag", role: "", address: "", action: AuditRotation.action,
            subject: (rotated as NSString).lastPathComponent, size: s.count, outcome: "ok")
        let line = marker.line(previousHash: s.head)
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
        close(s.fd)
        s.fd = fd
        s.head = AuditChain.hash(line)
        s.count = 1
    }

    static func writeLine(_ line: String, to fd: Int32, path: String) throws {
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
        if fsync(fd) != 0 { throw WriteError.fromErrno(path, errno) }
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
