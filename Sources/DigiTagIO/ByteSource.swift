import DigiTagBase
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An error reading a file: which file and what went wrong.
///
/// A file that is missing or malformed is bad input (exit 3); one the machine refuses to read (no
/// permission, an I/O error, too many open files) is the environment (exit 8).
public struct FileReadError: DigitagError, Sendable {
    public var file: String
    public var message: String
    public var exitStatus: ExitStatus
    public init(file: String, message: String, exitStatus: ExitStatus = .badInput) {
        self.file = file
        self.message = message
        self.exitStatus = exitStatus
    }
    /// After a failed open/read: the system's words, and the exit status its errno means.
    public static func fromErrno(_ file: String, _ what: String, _ code: Int32) -> FileReadError {
        let machine = [EACCES, EPERM, EIO, EMFILE, ENFILE, ENOMEM, EISDIR].contains(code)
        return FileReadError(
            file: file, message: "\(what): \(String(cString: strerror(code)))", exitStatus: machine ? .environment : .badInput)
    }
    public var description: String { "\(file): \(message)" }
}

/// Reads a file as a stream of byte chunks, decompressing `.zst` files on the way.
///
/// One buffer is allocated per reader and reused for every chunk: no allocation per chunk.
public struct ByteSource {
    public let path: String
    public let chunkSize: Int

    public init(path: String, chunkSize: Int = 1 << 20) {
        self.path = path
        self.chunkSize = chunkSize
    }

    public var isCompressed: Bool { path.hasSuffix(".zst") }

    /// Calls `body` with each chunk of the (decompressed) content, in order.
    ///
    /// Returns the file's size and the SHA-256 of its bytes as stored (compressed bytes for `.zst`),
    /// computed in the same pass, so the manifest can pin inputs without reading them twice.
    /// - Parameter hashing: false skips the SHA-256 (the benchmark's tokenizing floor); `sha256` is then empty.
    @discardableResult
    public func forEachChunk(hashing: Bool = true, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> (bytes: Int, sha256: String) {
        var hasher = SHA256()
        var total = 0
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw FileReadError.fromErrno(path, "cannot open", errno)
        }
        defer { close(fd) }
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 16)
        defer { raw.deallocate() }
        let decompressor = isCompressed ? try ZstdDecompressor(file: path) : nil
        let scratch: UnsafeMutableRawBufferPointer? =
            isCompressed
            ? UnsafeMutableRawBufferPointer.allocate(byteCount: max(ZstdDecompressor.recommendedOutputSize, 1 << 17), alignment: 16)
            : nil
        defer { scratch?.deallocate() }
        while true {
            let n = read(fd, raw.baseAddress, chunkSize)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileReadError.fromErrno(path, "read failed", errno)
            }
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(start: raw.baseAddress, count: n)
            if hashing { hasher.update(bufferPointer: chunk) }
            total += n
            if let decompressor, let scratch {
                try decompressor.decompress(chunk, into: scratch, body)
            } else {
                try body(chunk)
            }
        }
        try decompressor?.finish()
        return (total, hashing ? HexDigest.hex(hasher.finalize()) : "")
    }

    /// The SHA-256 of a file's bytes as stored (not decompressed): what the manifest pins, computed
    /// without parsing, to compare inputs before a run reads them.
    public static func sha256(ofStoredFile path: String) throws -> String {
        var hasher = SHA256()
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw FileReadError.fromErrno(path, "cannot open", errno) }
        defer { close(fd) }
        let size = 1 << 20
        let raw = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { raw.deallocate() }
        while true {
            let n = read(fd, raw.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileReadError.fromErrno(path, "read failed", errno)
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(start: raw.baseAddress, count: n))
        }
        return HexDigest.hex(hasher.finalize())
    }
}
