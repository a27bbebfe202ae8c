import DataContract
import DigiTagBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A delivery that is not valid text in its declared encoding: where, and what it probably is (exit 3).
///
/// One file-level error instead of thousands of rejected rows, each of them mojibake.
public struct TextEncodingError: DigitagError, Sendable {
    public var file: String
    public var declared: TextEncoding
    /// Offset of the first byte that is not valid, in the file's (decompressed) content.
    public var byte: Int
    public var line: Int
    /// The encoding the content reads as, when one of the others fits it.
    public var likely: TextEncoding?
    /// True when the content decodes in the declared encoding but is plainly another one (a UTF-8 file
    /// declared GB18030 would otherwise be read as mojibake, not refused).
    public var misdeclared = false

    /// The source the file belongs to, when the reader knows it (ingest sets it), for the `--encoding` hint.
    public var source: String?

    public init(file: String, declared: TextEncoding, byte: Int, line: Int, likely: TextEncoding?, misdeclared: Bool = false) {
        self.file = file
        self.declared = declared
        self.byte = byte
        self.line = line
        self.likely = likely
        self.misdeclared = misdeclared
    }

    public var exitStatus: ExitStatus { .badInput }
    public var report: [String] { ["digitag: bad input: \(description)"] }
    public var description: String {
        var text =
            misdeclared
            ? "\(file):\(line): declared \(declared.displayName), but its text is \(likely?.displayName ?? "another encoding")"
            : "\(file):\(line): not valid \(declared.displayName) at byte \(byte) (line \(line))"
        if let likely {
            text +=
                misdeclared
                ? " — for this delivery run with `--encoding \(source ?? "SOURCE")=\(likely.rawValue)`, or set `encoding: \(likely.rawValue)` for this source in sources.yaml"
                : "; it decodes as \(likely.displayName) — for this delivery run with `--encoding \(source ?? "SOURCE")=\(likely.rawValue)`,"
                    + " set `encoding: \(likely.rawValue)` for this source in sources.yaml if it always comes so,"
                    + " or convert the file (iconv -f \(likely.iconvName) -t \(declared.iconvName))"
        } else if declared == .utf8 || declared == .gb18030 {
            text += "; neither UTF-8 nor GB18030 — ask the sender how the file was exported"
        }
        return text
    }

    /// The encoding `window` (bytes around the failure) reads as, other than the declared one.
    public static func likelyEncoding(of window: UnsafeRawBufferPointer, declared: TextEncoding) -> TextEncoding? {
        let candidates: [TextEncoding] = [.utf8, .gb18030].filter { $0 != declared }
        for c in candidates {
            if c == .utf8 {
                for skip in 0..<min(4, window.count) {
                    var v = UTF8Validator()
                    if v.firstInvalid(UnsafeRawBufferPointer(rebasing: window[skip...])) == nil { return .utf8 }
                }
            } else if IconvDecoder.decodes(window, as: c) {
                return c
            }
        }
        return nil
    }
}

/// Streaming conversion to UTF-8 with glibc's iconv (`iconv_open`, `iconv`, `iconv_close`). The only
/// place iconv is called; every return code is checked.
///
/// Owns its `iconv_t` and closes it in `deinit`. A sequence cut by a chunk boundary (`EINVAL`) is carried
/// to the next chunk; an invalid sequence (`EILSEQ`) stops the conversion at its offset.
public final class IconvDecoder {
    public let encoding: TextEncoding
    private let handle: iconv_t
    private var carry: [UInt8] = []
    private let output: UnsafeMutableRawBufferPointer

    public init(from encoding: TextEncoding, file: String) throws {
        self.encoding = encoding
        let h = iconv_open("UTF-8", encoding.iconvName)
        guard let h, h != iconv_t(bitPattern: -1) else {
            throw FileReadError.fromErrno(file, "cannot convert from \(encoding.displayName) (iconv_open)", errno)
        }
        handle = h
        output = .allocate(byteCount: 1 << 20, alignment: 16)
    }

    deinit {
        iconv_close(handle)
        output.deallocate()
    }

    /// Converts `input`, handing UTF-8 blocks to `body`. Returns nil when all of it converted (a sequence
    /// cut at the end is kept for the next call), or the offset in `input` of the first invalid byte
    /// after handing over everything before it.
    public func convert(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int? {
        if carry.isEmpty { return try step(input, body) }
        // A sequence was cut by the previous chunk's end: convert it joined to this chunk (one copy).
        let joined = carry + input
        let carried = carry.count
        carry = []
        return try joined.withUnsafeBytes { try step($0, body) }.map { max(0, $0 - carried) }
    }

    /// At the end of the file: an incomplete sequence left over is invalid.
    public func finish() -> Bool { carry.isEmpty }

    /// Runs iconv over `input`: nil when all converted (or a cut sequence carried), else the invalid offset.
    private func step(_ input: UnsafeRawBufferPointer, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int? {
        guard let base = input.baseAddress else { return nil }
        var inPtr: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        while inLeft > 0 {
            var outPtr: UnsafeMutablePointer<CChar>? = output.baseAddress!.assumingMemoryBound(to: CChar.self)
            var outLeft = output.count
            let rc = iconv(handle, &inPtr, &inLeft, &outPtr, &outLeft)
            let produced = output.count - outLeft
            if produced > 0 { try body(UnsafeRawBufferPointer(start: output.baseAddress, count: produced)) }
            let consumed = input.count - inLeft
            if rc != -1 { continue }
            switch errno {
            case E2BIG:
                continue
            case EINVAL:
                // An incomplete sequence at the end of this chunk: keep it for the next one.
                carry = Array(UnsafeRawBufferPointer(rebasing: input[consumed...]))
                return nil
            case EILSEQ:
                return consumed
            default:
                throw FileReadError(file: "-", message: "iconv failed: \(String(cString: strerror(errno)))")
            }
        }
        return nil
    }

    /// True when `bytes` (a file's first block) decodes entirely as `encoding`, allowing a sequence cut at
    /// the end; tries starting 0 to 3 bytes in, as the block may begin inside a character.
    public static func decodes(_ bytes: UnsafeRawBufferPointer, as encoding: TextEncoding) -> Bool {
        for skip in 0..<min(4, bytes.count) {
            guard let d = try? IconvDecoder(from: encoding, file: "-") else { return false }
            let slice = UnsafeRawBufferPointer(rebasing: bytes[skip...])
            if (try? d.convert(slice, { _ in })) == .some(nil) { return true }
        }
        return false
    }
}

/// Checks a stream of bytes is valid UTF-8, chunk by chunk (a sequence may straddle two chunks).
///
/// - Complexity: O(n); ASCII runs are checked eight bytes at a time.
public struct UTF8Validator {
    /// Bytes of a sequence cut by the end of the previous chunk.
    private var pending: [UInt8] = []

    public init() {}

    /// The offset in `chunk` of the first byte that makes the stream invalid, or nil.
    public mutating func firstInvalid(_ chunk: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        if !pending.isEmpty {
            let need = UTF8Validator.length(pending[0])
            while pending.count < need, i < chunk.count {
                guard chunk[i] & 0xC0 == 0x80 else { return i }
                pending.append(chunk[i])
                i += 1
            }
            if pending.count < need { return nil }
            let ok = pending.withUnsafeBytes { UTF8Validator.sequenceEnd($0, 0) == need }
            pending = []
            if !ok { return max(0, i - 1) }
        }
        let n = chunk.count
        guard let base = chunk.baseAddress else { return nil }
        while i < n {
            // ASCII fast path.
            while i + 8 <= n, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
            if i >= n { break }
            let b = chunk[i]
            if b < 0x80 {
                i += 1
                continue
            }
            let need = UTF8Validator.length(b)
            if need == 0 { return i }
            if i + need > n {
                // Cut by the end of the chunk: check what is there, keep it.
                for k in (i + 1)..<n where chunk[k] & 0xC0 != 0x80 { return i }
                pending = Array(chunk[i..<n])
                return nil
            }
            guard UTF8Validator.sequenceEnd(chunk, i) == i + need else { return i }
            i += need
        }
        return nil
    }

    /// At the end of the stream: a sequence left incomplete is invalid.
    public var isComplete: Bool { pending.isEmpty }

    /// Length of the sequence a lead byte starts (0: not a lead byte).
    @inline(__always)
    static func length(_ b: UInt8) -> Int {
        switch b {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: 0
        }
    }

    /// Where the well-formed sequence at `i` ends (Unicode table 3-7: no overlongs, no surrogates, ≤ U+10FFFF), or -1.
    @inline(__always)
    static func sequenceEnd(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int {
        let lead = b[i]
        let need = length(lead)
        guard need > 0, i + need <= b.count else { return -1 }
        let b1 = b[i + 1]
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        switch lead {
        case 0xE0: lo = 0xA0
        case 0xED: hi = 0x9F
        case 0xF0: lo = 0x90
        case 0xF4: hi = 0x8F
        default: break
        }
        guard b1 >= lo, b1 <= hi else { return -1 }
        for k in 2..<need where b[i + k] & 0xC0 != 0x80 { return -1 }
        return i + need
    }
}
