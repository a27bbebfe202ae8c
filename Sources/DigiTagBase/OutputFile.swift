import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file opened for writing with open(2)/write(2), every return code checked.
///
/// Foundation's `FileHandle.write(_:)` cannot report a failed write on Linux: a full disk ends the process
/// (SIGILL, exit 132) instead of throwing. Every writer of the project goes through this type, so a full
/// disk or a read-only folder becomes a `WriteError` naming the file (exit 8), and nothing is published.
/// Owns its descriptor and closes it in `deinit`.
public final class OutputFile {
    public let path: String
    private var fd: Int32

    /// Creates (or truncates) `path`.
    public init(creating path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw WriteError.fromErrno(path, errno) }
        if let injected = TestFaults.failingWrite(path) {
            Glibc.close(fd)
            fd = -1
            throw WriteError.fromErrno(path, injected)
        }
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// Writes all of `bytes`, looping over short writes and EINTR.
    public func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard let base = bytes.baseAddress else { return }
        var done = 0
        while done < bytes.count {
            let n = Glibc.write(fd, base + done, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteError.fromErrno(path, errno)
            }
            done += n
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Forces the bytes to disk (fsync), so a published run survives a power cut.
    public func sync() throws {
        if fsync(fd) != 0 { throw WriteError.fromErrno(path, errno) }
    }

    /// Closes the file; a failure here (NFS, quota) is a failed write too.
    public func close() throws {
        guard fd >= 0 else { return }
        let rc = Glibc.close(fd)
        fd = -1
        if rc != 0 { throw WriteError.fromErrno(path, errno) }
    }
}

/// Write failures injected by the environment tests, so every writer's error path runs without filling a
/// disk: `DIGITAG_TEST_FAIL_WRITE=<substring>` makes creating any file whose path contains it fail with
/// ENOSPC. Unset in normal use, where this costs one environment lookup per file created.
public enum TestFaults {
    static let failWrite: String? = ProcessInfo.processInfo.environment["DIGITAG_TEST_FAIL_WRITE"]

    static func failingWrite(_ path: String) -> Int32? {
        guard let needle = failWrite, !needle.isEmpty, path.contains(needle) else { return nil }
        return ENOSPC
    }
}
