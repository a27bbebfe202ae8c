import DataContract
import DigiTagIO
import Foundation
import TestSupport
import Testing

/// Deliveries that try to lose rows (issue #13): stray quotes, lone CRs, NUL bytes, foreign encodings.
/// The rule they pin: every physical line ends up in a row, a syntax problem, or a file-level error.
@Suite struct HostileCSVTests {
    struct Parsed {
        var rows: [(line: Int, fields: [String])] = []
        var problems: [CSVSyntaxProblem] = []
    }

    func parse(
        _ bytes: [UInt8], name: String = "t.csv", lineBreaks: FieldLineBreaks = .forbidden, encoding: TextEncoding? = nil,
        pieces: [Int]? = nil
    ) throws -> Parsed {
        let dir = TestPaths.temporaryDirectory()
        var out = Parsed()
        let read = { (path: String) in
            try CSVReader(path: path, lineBreaks: lineBreaks, encoding: encoding).read(
                onRow: { out.rows.append(($0.line, $0.strings)) }, onSyntaxProblem: { out.problems.append($0) })
        }
        if let pieces {
            _ = try ChunkedFIFO.serve(bytes, pieces: pieces, at: dir + "/" + name) { try read(dir + "/" + name) }
        } else {
            _ = try read(TestPaths.write(bytes, to: dir, name))
        }
        return out
    }

    /// A hand-made file: a header and twelve records of codes, dates, numbers and Chinese text.
    static let lines: [String] = ["uscc,case_no,decided_on,kind,amount"] + (1...12).map {
        "91370102HANDMADE\($0),东东市监罚〔2024〕\($0)号,2024-05-\(String(format: "%02d", $0)),fine,\($0 * 100)"
    }

    /// Issue #13 item 1: a quote opening a field of line `i` once swallowed the rest of the file. Now it
    /// is a problem of line `i` only, whatever the line, with the line as delivered; every physical line
    /// is accounted for: rows + problems = lines.
    @Test(arguments: 1..<lines.count)
    func quoteOpenedOnAnyLineIsARejectOfThatLineOnly(line i: Int) throws {
        for field in 1..<4 {
            var lines = Self.lines
            var fields = lines[i].components(separatedBy: ",")
            fields[field] = "\"" + fields[field]
            lines[i] = fields.joined(separator: ",")
            let p = try parse(Array((lines.joined(separator: "\n") + "\n").utf8))
            #expect(p.rows.count + p.problems.count == lines.count, "line \(i), field \(field)")
            #expect(p.problems.map(\.line) == [i + 1])
            #expect(p.problems.first?.rawLine == lines[i])
            #expect(p.rows.map(\.line) == (1...lines.count).filter { $0 != i + 1 })
        }
    }

    /// The same with CRLF line ends and the file served in small chunks (a line cut between two reads).
    @Test func quoteOpenedAcrossChunkBoundariesWithCRLF() throws {
        var lines = Self.lines
        lines[4] = lines[4].replacingOccurrences(of: ",2024", with: ",\"2024")
        let bytes = Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
        let pieces = stride(from: 0, to: bytes.count, by: 37).map { min(37, bytes.count - $0) }
        let p = try parse(bytes, pieces: pieces)
        #expect(p.rows.count + p.problems.count == lines.count)
        #expect(p.problems.map(\.line) == [5])
        #expect(p.rows.allSatisfy { $0.fields.count == 5 && !$0.fields[4].hasSuffix("\r") })
    }

    /// Where line breaks are allowed, an open quote that runs past the bound stops the file, naming the
    /// line it opened on; within the bound a quoted line break is data.
    @Test func openQuotePastTheBoundIsAFileErrorNamingItsLine() throws {
        var lines = Self.lines
        lines[3] = lines[3].replacingOccurrences(of: ",东", with: ",\"东")
        let e = try #require(throws: CSVOpenQuoteError.self) {
            try parse(Array((lines.joined(separator: "\n") + "\n").utf8), lineBreaks: .allowed(maxLines: 5))
        }
        #expect(e.line == 4)
        #expect(e.description.contains("t.csv:4:"))
        #expect(e.exitStatus == .badInput)
        let ok = try parse(Array("a,b\n\"two\nlines\",z\n1,2\n".utf8), lineBreaks: .allowed(maxLines: 5))
        #expect(ok.rows.map(\.fields) == [["a", "b"], ["two\nlines", "z"], ["1", "2"]])
        #expect(ok.rows.map(\.line) == [1, 2, 4])
    }

    /// Issue #13 item 2: a lone CR inside a field (quoted or not) is data: the record stays one row.
    @Test(arguments: ["\"甲\r乙\"", "甲\r乙"])
    func loneCRStaysInsideItsField(field: String) throws {
        let text = "uscc,name,x\n1,\(field),y\n2,丙,z\n"
        let p = try parse(Array(text.utf8))
        #expect(p.problems.isEmpty)
        #expect(p.rows.map(\.fields) == [["uscc", "name", "x"], ["1", "甲\r乙", "y"], ["2", "丙", "z"]])
        #expect(p.rows.map(\.line) == [1, 2, 3])
        // The CR as the last byte of one read and the rest in the next: still one field.
        let bytes = Array(text.utf8)
        let cr = bytes.firstIndex(of: 0x0D)!
        let q = try parse(bytes, pieces: [cr + 1, bytes.count - cr - 1])
        #expect(q.rows.map(\.fields) == p.rows.map(\.fields))
        // CRLF split the same way is a line end, not data.
        let crlf = Array("a,b\r\n1,2\r\n".utf8)
        let r = try parse(crlf, pieces: [4, crlf.count - 4])
        #expect(r.rows.map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    /// Issue #13 item 10: a NUL byte in text is named, as is a negative count; the long-term and unknown
    /// dates of licence data read where the schema allows them.
    @Test func nulNegativeCountsAndOpenEndedDates() throws {
        func bytes<T>(_ s: String, _ f: (UnsafeRawBufferPointer) -> T) -> T { Array(s.utf8).withUnsafeBytes(f) }
        #expect(bytes("甲\0乙") { FieldParser.textProblem($0) }?.contains("NUL") == true)
        #expect(bytes("甲乙") { FieldParser.textProblem($0) } == nil)
        #expect(bytes("-5") { FieldParser.value(.count, $0) } == nil)
        #expect(bytes("5") { FieldParser.value(.count, $0) } == 5)
        #expect(bytes("-5") { FieldParser.value(.integer, $0) } == -5)
        #expect(bytes("9999-12-31") { FieldParser.value(.date, $0) } == nil)
        #expect(bytes("9999-12-31") { FieldParser.value(.openEndedDate, $0) } == FieldParser.openEndedDay)
        #expect(bytes("0001-01-01") { FieldParser.value(.openEndedDate, $0) }?.isNaN == true)
        #expect(bytes("2024-02-30") { FieldParser.value(.openEndedDate, $0) } == nil)
    }

    static let chinese = "uscc,name\n91370102HANDMADE1C,济南好商贸有限公司\n91370102HANDMADE2H,青岛海鲜烧烤店\n"

    /// Issue #13 item 3: GB18030 declared is converted; the same text read as the UTF-8 original.
    @Test func gb18030IsConvertedWhileReading() throws {
        let gb = try #require(Self.chinese.data(using: String.Encoding(rawValue: 0x8000_0632)))  // kCFStringEncodingGB_18030_2000
        let p = try parse(Array(gb), encoding: .gb18030)
        let u = try parse(Array(Self.chinese.utf8), encoding: .utf8)
        #expect(p.rows.map(\.fields) == u.rows.map(\.fields))
        #expect(p.rows.count == 3)
        // Cut inside a two-byte character between two reads: still the same.
        let pieces = stride(from: 0, to: gb.count, by: 7).map { min(7, gb.count - $0) }
        let q = try parse(Array(gb), encoding: .gb18030, pieces: pieces)
        #expect(q.rows.map(\.fields) == u.rows.map(\.fields))
    }

    /// A GB18030 file read as UTF-8 is one file-level error naming the byte, the line and GB18030; a
    /// UTF-8 file declared GB18030 is refused too, instead of being read as mojibake.
    @Test func wrongEncodingIsOneFileErrorNamingTheLikelyOne() throws {
        let gb = try #require(Self.chinese.data(using: String.Encoding(rawValue: 0x8000_0632)))
        let e = try #require(throws: TextEncodingError.self) { try parse(Array(gb), encoding: .utf8) }
        #expect(e.line == 2)
        #expect(e.byte == 29)
        #expect(e.likely == .gb18030)
        #expect(e.description.contains("not valid UTF-8 at byte 29 (line 2)"))
        #expect(e.description.contains("encoding: gb18030"))
        let m = try #require(throws: TextEncodingError.self) { try parse(Array(Self.chinese.utf8), encoding: .gb18030) }
        #expect(m.likely == .utf8)
        #expect(m.description.contains("declared GB18030, but its text is UTF-8"))
        // Garbage in neither encoding says so.
        let junk: [UInt8] = Array("a,b\n1,".utf8) + [0xFF, 0xFE, 0xFF, 0x0A]
        let j = try #require(throws: TextEncodingError.self) { try parse(junk, encoding: .utf8) }
        #expect(j.likely == nil)
        #expect(j.line == 2)
    }
}
