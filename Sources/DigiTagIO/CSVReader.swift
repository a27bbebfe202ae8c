import CCSV
import DataContract
import DigiTagBase

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One parsed CSV row: a view into the reader's buffers, valid only during the callback.
public struct CSVRow {
    @usableFromInline let bytes: UnsafePointer<UInt8>
    @usableFromInline let fieldEnds: UnsafePointer<Int32>
    @usableFromInline let firstField: Int
    /// Number of fields in the row.
    public let count: Int
    /// Physical line (1-based) on which the row starts.
    public let line: Int

    /// The raw bytes of field `i` (quotes removed, doubled quotes undone by libcsv).
    @inlinable
    public func field(_ i: Int) -> UnsafeRawBufferPointer {
        let index = firstField + i
        let start = index == 0 ? 0 : Int(fieldEnds[index - 1])
        let end = Int(fieldEnds[index])
        return UnsafeRawBufferPointer(start: bytes + start, count: end - start)
    }

    /// Field `i` as text (for error messages and names shown to people; never in hot paths).
    public func string(_ i: Int) -> String { String(decoding: field(i), as: UTF8.self) }

    /// All fields as text.
    public var strings: [String] { (0..<count).map(string) }
}

/// A row libcsv could not parse (bad quoting): the line it starts on and what was wrong.
public struct CSVSyntaxProblem: Sendable {
    public var line: Int
    public var message: String
    public var partialFields: [String]
    /// The whole physical line as delivered (without its line end), when the record began on it and
    /// it was read in one piece: what a person should see in the rejects file. Nil otherwise.
    public var rawLine: String?
}

/// What the C callbacks write into: owned by the reader, reached through a raw pointer.
///
/// The callbacks append field bytes to one arena and record field and row boundaries; the Swift side
/// walks complete rows after each `csv_parse` call. Nothing is allocated per row once buffers have grown.
@usableFromInline
struct CSVParseState {
    var bytes: [UInt8] = []
    /// End offset in `bytes` of each field.
    var fieldEnds: [Int32] = []
    /// For each complete row: index of its first field in `fieldEnds`.
    var rowFirstField: [Int32] = []
    var rowLines: [Int32] = []
    /// Physical line of the next byte libcsv will hand us (counted by the reader, one per LF fed).
    var currentLine: Int = 1
    /// Physical line on which the record libcsv is in (or will start next) began.
    var recordStartLine: Int = 1
    var rowInProgress = false
    /// Set once a lone CR was fed to libcsv as `loneCRMark`: fields are then scanned to put the CR back.
    var restoreCR = false
    var rowStartField = 0
    var rowStartLine = 1

    init() {
        bytes.reserveCapacity(1 << 21)
        fieldEnds.reserveCapacity(1 << 16)
        rowFirstField.reserveCapacity(1 << 14)
        rowLines.reserveCapacity(1 << 14)
    }

    /// Drops consumed rows, keeping the fields of the row still in progress.
    mutating func compact() {
        rowFirstField.removeAll(keepingCapacity: true)
        rowLines.removeAll(keepingCapacity: true)
        if rowInProgress && rowStartField > 0 {
            let byteStart = Int(fieldEnds[rowStartField - 1])
            bytes.removeFirst(byteStart)
            fieldEnds.removeFirst(rowStartField)
            for i in fieldEnds.indices { fieldEnds[i] -= Int32(byteStart) }
            rowStartField = 0
        } else if !rowInProgress {
            bytes.removeAll(keepingCapacity: true)
            fieldEnds.removeAll(keepingCapacity: true)
            rowStartField = 0
        }
    }

    /// Abandons the row in progress (after a syntax error), returning its fields as text.
    mutating func abandonRow() -> [String] {
        guard rowInProgress else { return [] }
        var out: [String] = []
        for i in rowStartField..<fieldEnds.count {
            let start = i == 0 ? 0 : Int(fieldEnds[i - 1])
            out.append(String(decoding: bytes[start..<Int(fieldEnds[i])], as: UTF8.self))
        }
        let byteStart = rowStartField == 0 ? 0 : Int(fieldEnds[rowStartField - 1])
        bytes.removeSubrange(byteStart...)
        fieldEnds.removeSubrange(rowStartField...)
        rowInProgress = false
        return out
    }
}

private let fieldCallback: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = {
    data, length, context in
    let state = context!.assumingMemoryBound(to: CSVParseState.self)
    if !state.pointee.rowInProgress {
        state.pointee.rowInProgress = true
        state.pointee.rowStartField = state.pointee.fieldEnds.count
        state.pointee.rowStartLine = state.pointee.recordStartLine
    }
    if length > 0, let data {
        let start = state.pointee.bytes.count
        state.pointee.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length))
        if state.pointee.restoreCR {
            for i in start..<state.pointee.bytes.count where state.pointee.bytes[i] == loneCRMark { state.pointee.bytes[i] = 0x0D }
        }
    }
    state.pointee.fieldEnds.append(Int32(state.pointee.bytes.count))
}

/// What a lone CR (one not followed by LF) is handed to libcsv as, so that libcsv, which ends a record at
/// any unquoted CR, keeps it inside its field; the field callback turns it back into CR. 0xFF never occurs
/// in UTF-8, and a delivery's bytes are checked to be UTF-8 (or converted to it) before they get here.
let loneCRMark: UInt8 = 0xFF

private let rowCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    let state = context!.assumingMemoryBound(to: CSVParseState.self)
    if state.pointee.rowInProgress {
        state.pointee.rowFirstField.append(Int32(state.pointee.rowStartField))
        state.pointee.rowLines.append(Int32(state.pointee.rowStartLine))
        state.pointee.rowInProgress = false
    }
}

/// Whether a quoted field may run onto the next physical line, and how far.
public enum FieldLineBreaks: Sendable, Equatable {
    /// No field holds a line break: a quote still open at the end of a line is a syntax problem of that
    /// line, and reading resumes at the next line.
    case forbidden
    /// A quoted field may hold line breaks, but a record may span at most `maxLines` physical lines: a
    /// quote still open after that is a file-level error naming the line where it opened.
    case allowed(maxLines: Int)

    /// What a source that allows line breaks in its fields gets: a postal address of a few lines fits,
    /// a stray quote cannot swallow the rest of a delivery.
    public static let sourceDefault = FieldLineBreaks.allowed(maxLines: 20)
}

/// Streams a CSV file (plain or `.zst`) through libcsv in strict mode. The only place libcsv is called.
///
/// Rows are handed to the caller one at a time as views into reused buffers. A UTF-8 byte-order mark is
/// skipped; CRLF and LF line ends are both accepted; quoted fields may hold commas, doubled quotes and
/// newlines. A row with broken quoting is reported through `onSyntaxProblem` with its line and the
/// parser resumes at the next line, so one bad row never hides the rest of the file.
///
/// Lines: a physical line ends with LF (a CRLF line is one line). libcsv is fed one physical line at a
/// time, so the reader knows after every line whether a quoted field is still open: with
/// `FieldLineBreaks.forbidden` that line is reported and the next one starts afresh; with `.allowed` a
/// record running past its bound is an error (`CSVOpenQuoteError`). A CR inside a quoted field is data.
public final class CSVReader {
    public let path: String
    public let lineBreaks: FieldLineBreaks
    /// The declared encoding; nil reads bytes as they are (files digitag wrote itself).
    public let encoding: TextEncoding?
    private var parser = csv_parser()
    private let state: UnsafeMutablePointer<CSVParseState>
    private let options = UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)

    /// - Parameter lineBreaks: the default reads what digitag itself wrote (any field may hold newlines).
    /// - Parameter encoding: a delivery's declared encoding: content in another one is converted to UTF-8
    ///   while reading, and content not valid in it is an `TextEncodingError` naming the byte, the line and
    ///   the encoding it probably is.
    public init(path: String, lineBreaks: FieldLineBreaks = .allowed(maxLines: .max), encoding: TextEncoding? = nil) throws {
        self.path = path
        self.lineBreaks = lineBreaks
        self.encoding = encoding
        state = .allocate(capacity: 1)
        state.initialize(to: CSVParseState())
        guard csv_init(&parser, options) == 0 else {
            state.deinitialize(count: 1)
            state.deallocate()
            throw FileReadError(file: path, message: "cannot initialise the CSV parser")
        }
    }

    deinit {
        csv_free(&parser)
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Reads the whole file. `onRow` sees every well-formed row (header included, as the first row).
    /// Returns the stored file's size and SHA-256.
    @discardableResult
    public func read(
        onRow: (CSVRow) throws -> Void,
        onSyntaxProblem: (CSVSyntaxProblem) throws -> Void
    ) throws -> (bytes: Int, sha256: String) {
        var skippingToNewline = false
        var atLineStart = true
        // A CR that ended the previous chunk: CRLF if this chunk starts with LF, else a lone CR.
        var pendingCR = false
        var scratch: [UInt8] = []
        /// Hands `piece` to libcsv; a lone CR inside it goes as `loneCRMark`, a CR at its very end (when the
        /// line goes on in the next chunk) waits in `pendingCR`. Returns true if libcsv took it all.
        func parsePiece(_ piece: UnsafeRawBufferPointer, endsLine: Bool) -> Bool {
            guard let base = piece.baseAddress, !piece.isEmpty else { return true }
            var count = piece.count
            if !endsLine, piece[count - 1] == 0x0D {
                pendingCR = true
                count -= 1
            }
            var lone = false
            if var p = memchr(base, 0x0D, count).map({ $0 - UnsafeMutableRawPointer(mutating: base) }) {
                while p < count {
                    if piece[p] == 0x0D, !(p + 1 < piece.count && piece[p + 1] == 0x0A) {
                        lone = true
                        break
                    }
                    p += 1
                }
            }
            if !lone { return csv_parse(&parser, base, count, fieldCallback, rowCallback, state) == count }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: piece[..<count]))
            for i in 0..<count where scratch[i] == 0x0D && (i + 1 >= piece.count || piece[i + 1] != 0x0A) {
                scratch[i] = loneCRMark
            }
            state.pointee.restoreCR = true
            return scratch.withUnsafeBytes { csv_parse(&parser, $0.baseAddress, count, fieldCallback, rowCallback, state) == count }
        }
        func parse(_ chunk: UnsafeRawBufferPointer) throws {
            var input = chunk
            if pendingCR, let first = input.first {
                pendingCR = false
                if !skippingToNewline {
                    let byte: [UInt8] = [first == 0x0A ? 0x0D : loneCRMark]
                    if byte[0] == loneCRMark { state.pointee.restoreCR = true }
                    if byte.withUnsafeBytes({ csv_parse(&parser, $0.baseAddress, 1, fieldCallback, rowCallback, state) }) != 1 {
                        try recover(code: csv_error(&parser), rawLine: nil, onSyntaxProblem)
                        skippingToNewline = true
                    }
                    try deliverRows(onRow)
                }
            }
            while !input.isEmpty {
                let base = input.baseAddress!
                let nl = memchr(base, 0x0A, input.count).map { $0 - UnsafeMutableRawPointer(mutating: base) }
                // One physical line, its LF included (or the rest of the chunk: the line goes on in the next).
                let lineEnd = nl.map { $0 + 1 } ?? input.count
                let piece = UnsafeRawBufferPointer(rebasing: input[..<lineEnd])
                input = UnsafeRawBufferPointer(rebasing: input[lineEnd...])
                let wholeLine = atLineStart
                atLineStart = nl != nil
                func rawLine() -> String? {
                    guard wholeLine, state.pointee.recordStartLine == state.pointee.currentLine else { return nil }
                    var end = piece.count
                    while end > 0, piece[end - 1] == 0x0A || piece[end - 1] == 0x0D { end -= 1 }
                    return String(decoding: piece[..<end], as: UTF8.self)
                }
                if skippingToNewline {
                    if nl != nil {
                        state.pointee.currentLine += 1
                        skippingToNewline = false
                    }
                    continue
                }
                if parser.pstate == 0 { state.pointee.recordStartLine = state.pointee.currentLine }
                let tookAll = parsePiece(piece, endsLine: nl != nil)
                try deliverRows(onRow)
                if !tookAll {
                    pendingCR = false
                    // libcsv stopped: report the row, reset the parser, resume after the next newline.
                    try recover(code: csv_error(&parser), rawLine: rawLine(), onSyntaxProblem)
                    if nl != nil { state.pointee.currentLine += 1 } else { skippingToNewline = true }
                    continue
                }
                guard nl != nil else { continue }
                // After a whole line, libcsv is between records unless a quoted field is still open.
                let raw = parser.pstate != 0 ? rawLine() : nil
                state.pointee.currentLine += 1
                guard parser.pstate != 0 else { continue }
                switch lineBreaks {
                case .forbidden:
                    try recover(
                        message: "a quoted field is not closed at the end of its line (fields of this file hold no line breaks)",
                        rawLine: raw, onSyntaxProblem)
                case .allowed(let maxLines):
                    let spanned = state.pointee.currentLine - state.pointee.recordStartLine
                    if spanned >= maxLines {
                        throw CSVOpenQuoteError(file: path, line: state.pointee.recordStartLine, maxLines: maxLines)
                    }
                }
            }
        }
        // The file's first three bytes, held until all three are here: a chunk can be shorter than the BOM
        // (a read from a pipe can return a single byte).
        var head: [UInt8]? = []
        func feed(_ chunk: UnsafeRawBufferPointer) throws {
            var input = chunk
            if var first = head {
                let take = min(3 - first.count, input.count)
                first += input.prefix(take)
                input = UnsafeRawBufferPointer(rebasing: input[take...])
                guard first.count == 3 else {
                    head = first
                    return
                }
                head = nil
                if first != [0xEF, 0xBB, 0xBF] { try first.withUnsafeBytes(parse) }
            }
            try parse(input)
        }
        var validator = encoding == .utf8 ? UTF8Validator() : nil
        let decoder = try encoding.flatMap { $0 == .utf8 ? nil : try IconvDecoder(from: $0, file: path) }
        var offset = 0
        func encodingError(_ chunk: UnsafeRawBufferPointer, at bad: Int) -> TextEncodingError {
            let window = UnsafeRawBufferPointer(rebasing: chunk[max(0, bad - 64)..<min(chunk.count, bad + 4096)])
            return TextEncodingError(
                file: path, declared: encoding ?? .utf8, byte: offset + bad, line: state.pointee.currentLine,
                likely: TextEncodingError.likelyEncoding(of: window, declared: encoding ?? .utf8))
        }
        let digest = try ByteSource(path: path).forEachChunk { chunk in
            if let decoder {
                if offset == 0, let misread = Self.misdeclared(chunk, declared: decoder.encoding) {
                    throw TextEncodingError(file: path, declared: decoder.encoding, byte: 0, line: 1, likely: misread, misdeclared: true)
                }
                if let bad = try decoder.convert(chunk, feed) { throw encodingError(chunk, at: bad) }
            } else if validator != nil, let bad = validator!.firstInvalid(chunk) {
                try feed(UnsafeRawBufferPointer(rebasing: chunk[..<bad]))
                throw encodingError(chunk, at: bad)
            } else {
                try feed(chunk)
            }
            offset += chunk.count
        }
        if pendingCR {
            pendingCR = false
            let cr: [UInt8] = [0x0D]
            _ = cr.withUnsafeBytes { csv_parse(&parser, $0.baseAddress, 1, fieldCallback, rowCallback, state) }
        }
        if !(validator?.isComplete ?? true) || !(decoder?.finish() ?? true) {
            throw TextEncodingError(
                file: path, declared: encoding ?? .utf8, byte: offset, line: state.pointee.currentLine, likely: nil)
        }
        if let first = head { try first.withUnsafeBytes(parse) }
        let rc = csv_fini(&parser, fieldCallback, rowCallback, state)
        try deliverRows(onRow)
        if rc != 0 {
            let line = state.pointee.recordStartLine
            // A quote opened on the last line and left open swallowed only that line's end: a reject of the
            // line. One that has taken whole lines with it (text after its first line end) refuses the file.
            let spanned = state.pointee.currentLine - line
            if spanned > 1 || (spanned == 1 && !atLineStart), case .allowed(let maxLines) = lineBreaks {
                // The open quote has swallowed whole lines: they are in no row, so the file is refused.
                throw CSVOpenQuoteError(file: path, line: line, maxLines: maxLines)
            }
            let fields = state.pointee.abandonRow()
            try onSyntaxProblem(
                CSVSyntaxProblem(
                    line: line, message: "a quoted field is not closed before the end of the file", partialFields: fields, rawLine: nil))
        }
        return digest
    }

    /// For a file declared in a legacy encoding: the encoding it plainly is instead. A first block with
    /// non-ASCII text that is all valid UTF-8 (or starts with UTF-8's byte-order mark) is UTF-8: Chinese
    /// text in GB18030 is practically never valid UTF-8.
    static func misdeclared(_ first: UnsafeRawBufferPointer, declared: TextEncoding) -> TextEncoding? {
        if first.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8 }
        guard first.contains(where: { $0 >= 0x80 }) else { return nil }
        var v = UTF8Validator()
        // A sequence cut by the block's end is fine: only a wrong byte says "not UTF-8".
        return v.firstInvalid(first) == nil ? .utf8 : nil
    }

    private func deliverRows(_ onRow: (CSVRow) throws -> Void) throws {
        let rowCount = state.pointee.rowFirstField.count
        if rowCount > 0 {
            try state.pointee.bytes.withUnsafeBufferPointer { bytes in
                try state.pointee.fieldEnds.withUnsafeBufferPointer { ends in
                    for r in 0..<rowCount {
                        let first = Int(state.pointee.rowFirstField[r])
                        let last =
                            r + 1 < rowCount
                            ? Int(state.pointee.rowFirstField[r + 1])
                            : (state.pointee.rowInProgress ? state.pointee.rowStartField : ends.count)
                        let row = CSVRow(
                            bytes: bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!, fieldEnds: ends.baseAddress!,
                            firstField: first, count: last - first, line: Int(state.pointee.rowLines[r]))
                        try onRow(row)
                    }
                }
            }
        }
        state.pointee.compact()
    }

    private func recover(code: Int32, rawLine: String?, _ onSyntaxProblem: (CSVSyntaxProblem) throws -> Void) throws {
        let message: String
        switch code {
        case Int32(CSV_EPARSE): message = "malformed quoting: a quote inside an unquoted field, or text after a closing quote"
        case Int32(CSV_ENOMEM): message = "a field too large to hold in memory"
        case Int32(CSV_ETOOBIG): message = "a field too large for the CSV parser"
        default: message = "the CSV parser failed (code \(code))"
        }
        try recover(message: message, rawLine: rawLine, onSyntaxProblem)
    }

    /// Abandons the record in progress, reports it on the line where it started, and resets libcsv.
    private func recover(message: String, rawLine: String?, _ onSyntaxProblem: (CSVSyntaxProblem) throws -> Void) throws {
        let line = state.pointee.recordStartLine
        let fields = state.pointee.abandonRow()
        csv_free(&parser)
        parser = csv_parser()
        guard csv_init(&parser, options) == 0 else {
            throw FileReadError(file: path, message: "cannot re-initialise the CSV parser")
        }
        try onSyntaxProblem(CSVSyntaxProblem(line: line, message: message, partialFields: fields, rawLine: rawLine))
    }
}

/// A quoted field left open across more lines than its file allows: the lines it swallowed are in no
/// row, so the whole file is refused, naming the line where the quote opened (exit 3).
public struct CSVOpenQuoteError: DigitagError, Sendable {
    public var file: String
    public var line: Int
    public var maxLines: Int
    public var exitStatus: ExitStatus { .badInput }
    public var report: [String] { ["digitag: bad input: \(description)"] }
    public var message: String {
        maxLines == .max
            ? "a quoted field opened on this line is never closed: a stray quote?"
            : "a quoted field opened on this line is still open \(maxLines) lines later (a stray quote?); "
                + "a record of this source may span at most \(maxLines) lines"
    }
    public var description: String { "\(file):\(line): \(message)" }
}

/// What libcsv alone finds in a file: the benchmark's floor for reading the inputs.
public struct TokenizeCount: Sendable {
    public var storedBytes = 0
    public var csvBytes = 0
    public var rows = 0
    public var fields = 0
    public init() {}
}

/// Counting callbacks: the least work a libcsv caller can do.
private struct TokenizeState {
    var rows = 0
    var fields = 0
}

private let countField: @convention(c) (UnsafeMutableRawPointer?, Int, UnsafeMutableRawPointer?) -> Void = { _, _, context in
    context!.assumingMemoryBound(to: TokenizeState.self).pointee.fields += 1
}

private let countRow: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { _, context in
    context!.assumingMemoryBound(to: TokenizeState.self).pointee.rows += 1
}

extension CSVReader {
    /// Runs libcsv over the file (decompressing `.zst`) with callbacks that only count: no validation,
    /// no line tracking, no hashing. `digitag tokenize` reports it as the floor a run is compared with.
    public static func tokenize(path: String) throws -> TokenizeCount {
        var parser = csv_parser()
        guard csv_init(&parser, UInt8(CSV_STRICT | CSV_STRICT_FINI)) == 0 else {
            throw FileReadError(file: path, message: "cannot initialise the CSV parser")
        }
        defer { csv_free(&parser) }
        var state = TokenizeState()
        var count = TokenizeCount()
        try withUnsafeMutablePointer(to: &state) { context in
            let stored = try ByteSource(path: path).forEachChunk(hashing: false) { chunk in
                count.csvBytes += chunk.count
                if csv_parse(&parser, chunk.baseAddress, chunk.count, countField, countRow, context) != chunk.count {
                    throw FileReadError(file: path, message: "libcsv stopped: malformed CSV")
                }
            }
            csv_fini(&parser, countField, countRow, context)
            count.storedBytes = stored.bytes
        }
        count.rows = state.rows
        count.fields = state.fields
        return count
    }
}
