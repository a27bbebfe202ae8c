import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Small, checked file-system helpers used across modules.
public enum FileSystem {
    public static func readText(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw Diagnostic(SourceLocation(file: path), "cannot read the file (missing or not readable)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw Diagnostic(SourceLocation(file: path), "the file is not valid UTF-8")
        }
        return text
    }

    public static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    public static func isDirectory(_ path: String) -> Bool {
        var dir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &dir) && dir.boolValue
    }

    /// Creates a folder and its parents; a failure is a `WriteError` naming the folder (exit 8).
    public static func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw WriteError(path: path, reason: ExitStatus.environmentReason(error), code: ExitStatus.posixCode(error))
        }
    }

    /// Writes atomically: to a temporary file beside the target, then renamed over it.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let url = URL(fileURLWithPath: path)
        do {
            if let injected = TestFaults.failingWrite(path) { throw POSIXError(POSIXErrorCode(rawValue: injected)!) }
            try data.write(to: url, options: .atomic)
        } catch {
            throw WriteError(path: path, reason: ExitStatus.environmentReason(error), code: ExitStatus.posixCode(error))
        }
    }

    /// Joins path components with `/`, leaving absolute second parts alone.
    public static func join(_ a: String, _ b: String) -> String {
        if b.hasPrefix("/") || a.isEmpty { return b }
        return a.hasSuffix("/") ? a + b : a + "/" + b
    }

    public static func directoryOf(_ path: String) -> String {
        (path as NSString).deletingLastPathComponent
    }

    /// File names in a directory, sorted so every run sees them in the same order.
    public static func list(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted()
    }

    /// Reads `count` bytes at `offset` of an open file with pread(2), looping over short reads and EINTR.
    /// Returns the bytes read: fewer than `count` only when the file ends first. Throws the system's
    /// reason (strerror) when a read fails; callers say which file and what it was for.
    public static func readFully(_ fd: Int32, into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws -> Int {
        var done = 0
        while done < count {
            let n = pread(fd, buffer + done, count - done, off_t(offset + done))
            if n < 0 {
                if errno == EINTR { continue }
                throw SystemCallError(reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            done += n
        }
        return done
    }

    /// Size in bytes; 0 when the file cannot be read (callers that need the file open it and report).
    public static func size(_ path: String) -> Int64 {
        var st = stat()
        return stat(path, &st) == 0 ? Int64(st.st_size) : 0
    }

    /// "size:modification time in ns" — what a rerun compares to decide an input is unchanged.
    public static func fingerprint(_ path: String) -> String {
        var st = stat()
        guard stat(path, &st) == 0 else { return "missing" }
        return "\(st.st_size):\(Int64(st.st_mtim.tv_sec) * 1_000_000_000 + Int64(st.st_mtim.tv_nsec))"
    }
}

/// A failed system call, with the system's own wording of why.
public struct SystemCallError: Error, CustomStringConvertible, Sendable {
    public var reason: String
    public var description: String { reason }
}
