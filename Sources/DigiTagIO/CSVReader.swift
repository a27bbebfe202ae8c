import CCSV
import DigiTagBase

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
    /// Physical line of the next byte libcsv will hand us.
    var currentLine: Int = 1
    var rowInProgress = false
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
        state.pointee.rowStartLine = state.pointee.currentLine
    }
    if length > 0, let data {
        let field = UnsafeRawBufferPointer(start: data, count: length)
        state.pointee.bytes.append(contentsOf: field)
        // A newline can only be inside a quoted field here: count it so later rows keep their true line.
        var newlines = 0
        for b in field where b == 0x0A { newlines += 1 }
        state.pointee.currentLine += newlines
    }
    state.pointee.fieldEnds.append(Int32(state.pointee.bytes.count))
}

private let rowCallback: @convention(c) (Int32, UnsafeMutableRawPointer?) -> Void = { terminator, context in
    let state = context!.assumingMemoryBound(to: CSVParseState.self)
    if state.pointee.rowInProgress {
        state.pointee.rowFirstField.append(Int32(state.pointee.rowStartField))
        state.pointee.rowLines.append(Int32(state.pointee.rowStartLine))
        state.pointee.rowInProgress = false
    }
    // With CSV_REPALL_NL every unquoted LF reaches us, blank lines included, so lines are counted exactly.
    if terminator == 0x0A { state.pointee.currentLine += 1 }
}

/// Streams a CSV file (plain or `.zst`) through libcsv in strict mode. The only place libcsv is called.
///
/// Rows are handed to the caller one at a time as views into reused buffers. A UTF-8 byte-order mark is
/// skipped; CRLF and LF line ends are both accepted; quoted fields may hold commas, doubled quotes and
/// newlines. A row with broken quoting is reported through `onSyntaxProblem` with its line and the
/// parser resumes at the next line, so one bad row never hides the rest of the file.
public final class CSVReader {
    public let path: String
    private var parser = csv_parser()
    private let state: UnsafeMutablePointer<CSVParseState>
    private let options = UInt8(CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL)

    public init(path: String) throws {
        self.path = path
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
        func parse(_ chunk: UnsafeRawBufferPointer) throws {
            var input = chunk
            while !input.isEmpty {
                if skippingToNewline {
                    guard let nl = input.firstIndex(of: 0x0A) else { return }
                    state.pointee.currentLine += 1
                    input = UnsafeRawBufferPointer(rebasing: input[(nl + 1)...])
                    skippingToNewline = false
                    continue
                }
                let consumed = csv_parse(&parser, input.baseAddress, input.count, fieldCallback, rowCallback, state)
                try deliverRows(onRow)
                if consumed == input.count { break }
                // libcsv stopped: report the row, reset the parser, resume after the next newline.
                let code = csv_error(&parser)
                try recover(code: code, input: input, consumed: consumed, onSyntaxProblem)
                input = UnsafeRawBufferPointer(rebasing: input[consumed...])
                skippingToNewline = true
            }
        }
        // The file's first three bytes, held until all three are here: a chunk can be shorter than the BOM
        // (a read from a pipe can return a single byte).
        var head: [UInt8]? = []
        let digest = try ByteSource(path: path).forEachChunk { chunk in
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
        if let first = head { try first.withUnsafeBytes(parse) }
        let rc = csv_fini(&parser, fieldCallback, rowCallback, state)
        try deliverRows(onRow)
        if rc != 0 {
            let line = state.pointee.rowInProgress ? state.pointee.rowStartLine : state.pointee.currentLine
            let fields = state.pointee.abandonRow()
            try onSyntaxProblem(
                CSVSyntaxProblem(
                    line: line, message: "a quoted field is not closed before the end of the file", partialFields: fields))
        }
        return digest
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

    private func recover(
        code: Int32, input: UnsafeRawBufferPointer, consumed: Int, _ onSyntaxProblem: (CSVSyntaxProblem) throws -> Void
    ) throws {
        let line = state.pointee.rowInProgress ? state.pointee.rowStartLine : state.pointee.currentLine
        let fields = state.pointee.abandonRow()
        let message: String
        switch code {
        case Int32(CSV_EPARSE): message = "malformed quoting: a quote inside an unquoted field, or text after a closing quote"
        case Int32(CSV_ENOMEM): message = "a field too large to hold in memory"
        case Int32(CSV_ETOOBIG): message = "a field too large for the CSV parser"
        default: message = "the CSV parser failed (code \(code))"
        }
        csv_free(&parser)
        parser = csv_parser()
        guard csv_init(&parser, options) == 0 else {
            throw FileReadError(file: path, message: "cannot re-initialise the CSV parser")
        }
        try onSyntaxProblem(CSVSyntaxProblem(line: line, message: message, partialFields: fields))
    }
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
