import DigiTagBase
import Foundation

/// Writes RFC 4180 CSV (UTF-8, LF line ends, a header row), optionally zstd-compressed.
///
/// Fields are quoted only when they contain a comma, quote, CR or LF, or start or end with a space or tab, so files open as they are in
/// Excel, DuckDB and pandas. Output is buffered and written in large blocks.
public final class CSVWriter {
    public let path: String
    @usableFromInline var buffer: [UInt8] = []
    private let file: OutputFile
    private let compressor: ZstdCompressor?
    @usableFromInline var fieldIndex = 0
    /// Where the row being written starts in `buffer`.
    private var rowStart = 0
    private var closed = false

    /// Text cells that Excel would run as a formula are written with a leading apostrophe (see `formulaSafe`).
    public let formulaSafe: Bool

    /// - Parameters:
    ///   - bom: writes a UTF-8 byte-order mark first, which makes Excel read Chinese text
    ///     correctly when the file is double-clicked (DuckDB and pandas skip it).
    ///   - formulaSafe: for files meant for people: a text cell that starts with `=`, `+`, `-`, `@`, a tab or
    ///     a carriage return (and is not a plain number) is written with a leading `'`, so that a hostile
    ///     enterprise name such as `=HYPERLINK(…)` is shown as text in Excel instead of run (OWASP's advice
    ///     on CSV injection). Numbers, codes and dates are written by the other `…Field` methods, unchanged.
    public init(path: String, header: [String], bom: Bool = false, formulaSafe: Bool = false) throws {
        self.path = path
        self.formulaSafe = formulaSafe
        file = try OutputFile(creating: path)
        compressor = path.hasSuffix(".zst") ? try ZstdCompressor(file: path) : nil
        buffer.reserveCapacity(1 << 20)
        if bom { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        rowStart = buffer.count
        for h in header { field(h) }
        try endRow()
    }

    deinit { try? close() }

    @inlinable
    static func needsQuotes(_ bytes: some Sequence<UInt8>) -> Bool {
        for b in bytes where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D { return true }
        return false
    }

    /// `text` with a leading apostrophe when a spreadsheet would read it as a formula; otherwise unchanged.
    public static func neutralisingFormula(_ text: String) -> String {
        guard let first = text.utf8.first, [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains(first) else { return text }
        // A signed number ("-5", "+0.25", "-1.5e3") is a number to Excel too, not a formula: keep it.
        if text.utf8.allSatisfy({ (0x30...0x39).contains($0) || $0 == 0x2E || $0 == 0x2B || $0 == 0x2D || $0 == 0x65 || $0 == 0x45 }),
            Double(text) != nil
        {
            return text
        }
        return "'" + text
    }

    public func field(_ text: String) {
        if fieldIndex > 0 { buffer.append(0x2C) }
        fieldIndex += 1
        let s = formulaSafe ? CSVWriter.neutralisingFormula(text) : text
        let utf8 = s.utf8
        // libcsv (our reader, like many) drops unquoted leading and trailing spaces and tabs: quote to keep them.
        let padded = utf8.first.map { $0 == 0x20 || $0 == 0x09 } == true || utf8.last.map { $0 == 0x20 || $0 == 0x09 } == true
        if padded || CSVWriter.needsQuotes(utf8) {
            buffer.append(0x22)
            for b in utf8 {
                if b == 0x22 { buffer.append(0x22) }
                buffer.append(b)
            }
            buffer.append(0x22)
        } else {
            buffer.append(contentsOf: utf8)
        }
    }

    /// Appends a field whose bytes are known to need no quoting (numbers, codes).
    public func plainField(_ bytes: UnsafeRawBufferPointer) {
        if fieldIndex > 0 { buffer.append(0x2C) }
        fieldIndex += 1
        buffer.append(contentsOf: bytes)
    }

    /// Appends a field whose bytes are known to need no quoting, without building a `String`.
    @inlinable
    public func rawField(_ bytes: some Sequence<UInt8>) {
        if fieldIndex > 0 { buffer.append(0x2C) }
        fieldIndex += 1
        buffer.append(contentsOf: bytes)
    }

    /// Appends an integer field in decimal, without building a `String`.
    public func integerField(_ value: Int64) {
        if fieldIndex > 0 { buffer.append(0x2C) }
        fieldIndex += 1
        var v = value
        if v < 0 {
            buffer.append(0x2D)
            v = -v
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &digits) { d in
            repeat {
                d[n] = UInt8(48 + v % 10)
                v /= 10
                n += 1
            } while v > 0
            for i in stride(from: n - 1, through: 0, by: -1) { buffer.append(d[i]) }
        }
    }

    public func row(_ fields: [String]) throws {
        for f in fields { field(f) }
        try endRow()
    }

    public func endRow() throws {
        // A row of one empty field would be a blank line, which readers skip (libcsv, pandas, DuckDB): quote it.
        if fieldIndex == 1 && buffer.count == rowStart { buffer.append(contentsOf: [0x22, 0x22]) }
        buffer.append(0x0A)
        fieldIndex = 0
        if buffer.count >= 1 << 20 { try flush(end: false) }
        rowStart = buffer.count
    }

    private func flush(end: Bool) throws {
        if let compressor {
            try buffer.withUnsafeBytes { input in
                try compressor.compress(input, end: end) { try file.write($0) }
            }
        } else if !buffer.isEmpty {
            try file.write(buffer)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    public func close() throws {
        guard !closed else { return }
        closed = true
        try flush(end: true)
        try file.close()
    }
}
