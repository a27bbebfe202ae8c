import DigiTagBase
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The append-only audit log: one JSON line per access to enterprise data or change, fsync'd before the
/// response goes out, each carrying the hash of the line before.
///
/// Opening checks the whole chain, so a server never extends a log that was tampered with; appends are
/// serialised (one writer, many requests).
public final class AuditLog: Sendable {
    public let path: String
    /// The file descriptor (O_APPEND) and the hash of the last line.
    let state: Mutex<(fd: Int32, head: String)>

    public init(path: String) throws {
        self.path = path
        let head = FileSystem.exists(path) ? try AuditChain.verify(path).head : AuditChain.genesis
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw WriteError.fromErrno(path, errno) }
        state = Mutex((fd, head))
    }

    deinit { state.withLock { _ = close($0.fd) } }

    /// Writes the entry and forces it to disk; a failed write is an error the request must not hide.
    public func append(_ entry: AuditEntry) throws {
        try state.withLock { s in
            let line = entry.line(previousHash: s.head)
            let bytes = Array((line + "\n").utf8)
            var done = 0
            while done < bytes.count {
                let n = bytes.withUnsafeBytes { write(s.fd, $0.baseAddress! + done, bytes.count - done) }
                if n < 0 {
                    if errno == EINTR { continue }
                    throw WriteError.fromErrno(path, errno)
                }
                done += n
            }
            if fsync(s.fd) != 0 { throw WriteError.fromErrno(path, errno) }
            s.head = AuditChain.hash(line)
        }
    }
}
