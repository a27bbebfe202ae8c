import CZstd
import DigiTagBase

/// An error from libzstd, with the file it concerns.
///
/// Corrupt or truncated compressed input is bad input (exit 3); a context libzstd cannot allocate is the
/// machine running out of memory (exit 8); a compression that fails otherwise is a bug (exit 1).
public struct ZstdError: DigitagError, Sendable {
    public var file: String
    public var message: String
    public var exitStatus: ExitStatus = .badInput
    public var description: String { "\(file): \(message)" }
}

/// Streaming zstd decompression (`ZSTD_decompressStream`). The only place libzstd's decoder is called.
///
/// Owns its `ZSTD_DCtx` and frees it in `deinit`. Detects a truncated stream: at the end of the input,
/// a frame that `ZSTD_decompressStream` has not reported complete is an error, never a short read.
public final class ZstdDecompressor {
    private let context: OpaquePointer
    private let file: String
    private var frameComplete = true
    private var sawInput = false

    public init(file: String) throws {
        guard let ctx = ZSTD_createDCtx() else { throw ZstdError(file: file, message: "cannot allocate a zstd context", exitStatus: .environment) }
        context = ctx
        self.file = file
    }

    deinit { ZSTD_freeDCtx(context) }

    /// Decompresses `input` entirely, handing each produced block to `body`.
    public func decompress(
        _ input: UnsafeRawBufferPointer, into scratch: UnsafeMutableRawBufferPointer,
        _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        if input.count > 0 { sawInput = true }
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        while inBuf.pos < inBuf.size {
            var outBuf = ZSTD_outBuffer(dst: scratch.baseAddress, size: scratch.count, pos: 0)
            let rc = ZSTD_decompressStream(context, &outBuf, &inBuf)
            if ZSTD_isError(rc) != 0 {
                throw ZstdError(file: file, message: "corrupt zstd data: \(String(cString: ZSTD_getErrorName(rc)))")
            }
            frameComplete = rc == 0
            if outBuf.pos > 0 { try body(UnsafeRawBufferPointer(start: scratch.baseAddress, count: outBuf.pos)) }
        }
        // Flush what the decoder still holds for this input.
        while true {
            var outBuf = ZSTD_outBuffer(dst: scratch.baseAddress, size: scratch.count, pos: 0)
            var empty = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
            let rc = ZSTD_decompressStream(context, &outBuf, &empty)
            if ZSTD_isError(rc) != 0 {
                throw ZstdError(file: file, message: "corrupt zstd data: \(String(cString: ZSTD_getErrorName(rc)))")
            }
            if rc == 0 { frameComplete = true }
            if outBuf.pos == 0 { break }
            try body(UnsafeRawBufferPointer(start: scratch.baseAddress, count: outBuf.pos))
        }
    }

    /// Call at the end of the input: throws if the last frame was cut off.
    public func finish() throws {
        if !sawInput { throw ZstdError(file: file, message: "empty file: not a zstd stream") }
        if !frameComplete {
            throw ZstdError(file: file, message: "truncated zstd stream: the last frame ends before its end mark")
        }
    }

    public static var recommendedOutputSize: Int { ZSTD_DStreamOutSize() }
}

/// Streaming zstd compression (`ZSTD_compressStream2`). The only place libzstd's encoder is called.
public final class ZstdCompressor {
    private let context: OpaquePointer
    private var scratch: [UInt8]
    /// The file being written, for error messages.
    private let file: String

    public init(level: Int32 = 3, file: String = "-") throws {
        self.file = file
        guard let ctx = ZSTD_createCCtx() else { throw ZstdError(file: file, message: "cannot allocate a zstd context", exitStatus: .environment) }
        context = ctx
        let rc = ZSTD_CCtx_setParameter(ctx, ZSTD_c_compressionLevel, level)
        if ZSTD_isError(rc) != 0 {
            ZSTD_freeCCtx(ctx)
            throw ZstdError(file: file, message: "bad compression level \(level)", exitStatus: .internalError)
        }
        scratch = [UInt8](repeating: 0, count: ZSTD_CStreamOutSize())
    }

    deinit { ZSTD_freeCCtx(context) }

    /// Compresses `input`; `end` closes the frame. Compressed bytes go to `sink`.
    public func compress(_ input: UnsafeRawBufferPointer, end: Bool, _ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        var inBuf = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        let mode = end ? ZSTD_e_end : ZSTD_e_continue
        try scratch.withUnsafeMutableBytes { out in
            while true {
                var outBuf = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
                let remaining = ZSTD_compressStream2(context, &outBuf, &inBuf, mode)
                if ZSTD_isError(remaining) != 0 {
                    throw ZstdError(file: file, message: "compression failed: \(String(cString: ZSTD_getErrorName(remaining)))", exitStatus: .internalError)
                }
                if outBuf.pos > 0 { try sink(UnsafeRawBufferPointer(start: out.baseAddress, count: outBuf.pos)) }
                let done = end ? remaining == 0 : inBuf.pos == inBuf.size
                if done { break }
            }
        }
    }

    /// One-shot compression of a whole buffer.
    public static func compress(_ data: [UInt8], level: Int32 = 3) throws -> [UInt8] {
        let c = try ZstdCompressor(level: level)
        var out: [UInt8] = []
        try data.withUnsafeBytes { input in
            try c.compress(input, end: true) { out.append(contentsOf: $0) }
        }
        return out
    }
}

/// One-shot compression and decompression of independent blocks with reused contexts
/// (`ZSTD_compressCCtx` / `ZSTD_decompressDCtx`), for spill files whose blocks are read back one by one.
///
/// Not thread-safe: one codec per thread.
public final class ZstdBlockCodec {
    private let compressContext: OpaquePointer
    private let decompressContext: OpaquePointer
    private let level: Int32
    /// Reused output of `compress`; valid until the next call.
    private var scratch: UnsafeMutableRawBufferPointer

    public init(level: Int32 = 1) throws {
        guard let c = ZSTD_createCCtx(), let d = ZSTD_createDCtx() else {
            throw ZstdError(file: "-", message: "cannot allocate a zstd context", exitStatus: .environment)
        }
        compressContext = c
        decompressContext = d
        self.level = level
        scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 0, alignment: 16)
    }

    deinit {
        ZSTD_freeCCtx(compressContext)
        ZSTD_freeDCtx(decompressContext)
        scratch.deallocate()
    }

    /// Compresses `input` into one frame; the result is valid until the next call.
    public func compress(_ input: UnsafeRawBufferPointer) throws -> UnsafeRawBufferPointer {
        let bound = ZSTD_compressBound(input.count)
        if scratch.count < bound {
            scratch.deallocate()
            scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: bound, alignment: 16)
        }
        let n = ZSTD_compressCCtx(compressContext, scratch.baseAddress, scratch.count, input.baseAddress, input.count, level)
        if ZSTD_isError(n) != 0 {
            throw ZstdError(file: "-", message: "compression failed: \(String(cString: ZSTD_getErrorName(n)))", exitStatus: .internalError)
        }
        return UnsafeRawBufferPointer(start: scratch.baseAddress, count: n)
    }

    /// Decompresses one frame into `output`, which must be exactly the frame's content size.
    public func decompress(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, file: String) throws {
        let n = ZSTD_decompressDCtx(decompressContext, output.baseAddress, output.count, input.baseAddress, input.count)
        if ZSTD_isError(n) != 0 {
            throw ZstdError(file: file, message: "corrupt zstd block: \(String(cString: ZSTD_getErrorName(n)))")
        }
        if n != output.count {
            throw ZstdError(file: file, message: "zstd block holds \(n) bytes, expected \(output.count)")
        }
    }
}
