import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Serves bytes to a file reader through a named pipe, in pieces of chosen sizes: one piece per `read(2)`.
///
/// `CSVReader` reads its file through `ByteSource`, in 1 MiB chunks from a regular file, so a test cannot
/// choose where chunks end by writing a file. A FIFO can: a writer thread writes one piece (at most
/// `PIPE_BUF` bytes, so the write is atomic), then waits until the pipe is empty again before writing the
/// next, so each `read(2)` of the reader returns exactly one piece. The chunk boundaries are then a pure
/// function of the test's input: the same seed gives the same chunks. The file's name can end in `.zst`,
/// so compressed bytes reach the decompressor in the same pieces.
enum ChunkedFIFO {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Creates a FIFO at `path`, serves `bytes` through it in `pieces` (sizes summing to `bytes.count`),
    /// and runs `read` (which must open and read `path` to its end) meanwhile. Returns what `read` returns.
    static func serve<T>(_ bytes: [UInt8], pieces: [Int], at path: String, read: () throws -> T) throws -> T {
        precondition(pieces.reduce(0, +) == bytes.count && pieces.allSatisfy { $0 > 0 && $0 <= Int(PIPE_BUF) })
        // A reader that stops early closes its end; the next write must fail with EPIPE, not kill the process.
        signal(SIGPIPE, SIG_IGN)
        guard mkfifo(path, 0o600) == 0 else { throw Failure(description: "mkfifo \(path): \(String(cString: strerror(errno)))") }
        defer { unlink(path) }
        let writer = PieceWriter(path: path, bytes: bytes, pieces: pieces)
        let thread = Thread { writer.run() }
        thread.start()
        let result: Result<T, any Error> = Result { try read() }
        writer.readerDone()
        writer.waitUntilFinished()
        if case .success = result, let problem = writer.problem { throw Failure(description: problem) }
        return try result.get()
    }

    /// The writing end, on its own thread.
    private final class PieceWriter: @unchecked Sendable {
        // @unchecked Sendable: `bytes` and `pieces` are immutable; `done`, `readerFinished` and `problem` are
        // only touched under `lock`.
        let path: String
        let bytes: [UInt8]
        let pieces: [Int]
        private let lock = NSCondition()
        private var done = false
        private var readerFinished = false
        private var _problem: String?

        init(path: String, bytes: [UInt8], pieces: [Int]) {
            self.path = path
            self.bytes = bytes
            self.pieces = pieces
        }

        var problem: String? { lock.withLock { _problem } }
        private var isReaderFinished: Bool { lock.withLock { readerFinished } }

        func readerDone() { lock.withLock { readerFinished = true } }

        func waitUntilFinished() {
            lock.lock()
            while !done { lock.wait() }
            lock.unlock()
        }

        func run() {
            let message = write()
            lock.lock()
            _problem = message
            done = true
            lock.broadcast()
            lock.unlock()
        }

        /// Writes every piece; returns a problem, or nil.
        private func write() -> String? {
            // Blocks until the reader opens its end (or fails if the reader finished without opening it).
            var fd: Int32 = -1
            while fd < 0 {
                fd = open(path, O_WRONLY | O_NONBLOCK)
                if fd >= 0 { break }
                if errno != ENXIO { return "open \(path) for writing: \(String(cString: strerror(errno)))" }
                if isReaderFinished { return nil }
                usleep(100)
            }
            defer { close(fd) }
            // Blocking writes from here on; each piece fits the pipe whole.
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            var start = 0
            for size in pieces {
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + start, size) }
                if n != size { return isReaderFinished ? nil : "write of \(size) bytes returned \(n): \(String(cString: strerror(errno)))" }
                start += size
                // Wait until the reader has taken the piece, so that the next one arrives in a read of its own.
                var waited = 0
                while true {
                    var unread: Int32 = 0
                    guard ioctl(fd, UInt(FIONREAD), &unread) == 0 else { return "ioctl FIONREAD: \(String(cString: strerror(errno)))" }
                    if unread == 0 { break }
                    if isReaderFinished { return nil }
                    waited += 1
                    if waited > 2_000_000 { return "the reader stopped taking bytes at offset \(start - size)" }
                    if waited < 1000 { sched_yield() } else { usleep(50) }
                }
            }
            return nil
        }
    }
}
