import DigiTagBase
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Another run holds the output directory.
public struct RunLockedError: DigitagError, Sendable {
    public var directory: String
    public var holder: String
    public var exitStatus: ExitStatus { .runActive }
    public var description: String {
        "another digitag run is active on \(directory) (\(holder)); wait for it to finish, or stop it"
    }
}

/// One run at a time per output directory: an exclusive `flock(2)` on `<out>/.lock`.
///
/// The kernel releases the lock when the process ends, however it ends (SIGKILL included), so a crashed
/// run never leaves a stale lock behind. The file records the holder's PID and start for the message.
public final class RunLock {
    private let fd: Int32
    public let path: String

    public init(directory: String, description: String) throws {
        try FileSystem.createDirectory(directory)
        path = FileSystem.join(directory, ".lock")
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw WriteError.fromErrno(path, errno)
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw RunLockedError(directory: directory, holder: holder.flatMap { $0.isEmpty ? nil : $0 } ?? "holder unknown")
        }
        let text = "pid \(getpid()), \(description)\n"
        _ = ftruncate(fd, 0)
        _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
    }

    deinit {
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
