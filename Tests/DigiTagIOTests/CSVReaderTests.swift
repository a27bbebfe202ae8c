import DigiTagIO
import Foundation
import TestSupport
import Testing

@Suite struct CSVReaderTests {
    struct Parsed {
        var rows: [(line: Int, fields: [String])] = []
        var problems: [CSVSyntaxProblem] = []
    }

    func parse(_ bytes: [UInt8], name: String = "t.csv", chunkThrough dir: String? = nil) throws -> Parsed {
        let d = dir ?? TestPaths.temporaryDirectory()
        let path = TestPaths.write(bytes, to: d, name)
        var out = Parsed()
        try CSVReader(path: path).read(
            onRow: { out.rows.append(($0.line, $0.strings)) }, onSyntaxProblem: { out.problems.append($0) })
        return out
    }

    func parse(_ text: String) throws -> Parsed { try parse(Array(text.utf8)) }

    @Test func quotedCommasDoubledQuotesAndNewlines() throws {
        let p = try parse("a,b\n\"x, y\",\"he said \"\"hi\"\"\"\n\"two\nlines\",z\nlast,row\n")
        #expect(p.rows.map(\.fields) == [["a", "b"], ["x, y", "he said \"hi\""], ["two\nlines", "z"], ["last", "row"]])
        // The row after a two-line field starts on line 5, not 4.
        #expect(p.rows.map(\.line) == [1, 2, 3, 5])
        #expect(p.problems.isEmpty)
    }

    @Test func crlfBomAndBlankLinesKeepLineNumbers() throws {
        let p = try parse([0xEF, 0xBB, 0xBF] + Array("h1,h2\r\n1,2\r\n\r\n3,4\r\n".utf8))
        #expect(p.rows.map(\.fields) == [["h1", "h2"], ["1", "2"], ["3", "4"]])
        #expect(p.rows.map(\.line) == [1, 2, 4])
    }

    @Test func lastRowWithoutNewline() throws {
        let p = try parse("a,b\n1,2")
        #expect(p.rows.map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func unterminatedQuoteAtEndIsReportedNotDropped() throws {
        let p = try parse("a,b\n1,\"open\n")
        #expect(p.rows.map(\.fields) == [["a", "b"]])
        #expect(p.problems.count == 1)
        #expect(p.problems.first?.line == 2)
        #expect(p.problems.first?.message.contains("not closed") == true)
    }

    @Test func strayQuoteRejectsOneRowAndParsingResumes() throws {
        let p = try parse("a,b\n1,2\n3,\"x\"y\n5,6\n")
        #expect(p.rows.map(\.fields) == [["a", "b"], ["1", "2"], ["5", "6"]])
        #expect(p.problems.map(\.line) == [3])
        #expect(p.rows.last?.line == 4)
    }

    @Test func compressedFileReadsTheSame() throws {
        let text = "a,b\n" + (0..<5000).map { "\($0),\"v,\($0)\"" }.joined(separator: "\n") + "\n"
        let compressed = try ZstdCompressor.compress(Array(text.utf8))
        let p = try parse(compressed, name: "t.csv.zst")
        #expect(p.rows.count == 5001)
        #expect(p.rows[4000].fields == ["3999", "v,3999"])
        #expect(p.rows[4000].line == 4001)
    }

    @Test func truncatedZstdIsAnErrorNamingTheFile() throws {
        let text = (0..<20000).map { "\($0),x" }.joined(separator: "\n")
        let compressed = try ZstdCompressor.compress(Array(text.utf8))
        let dir = TestPaths.temporaryDirectory()
        let path = TestPaths.write(Array(compressed.prefix(compressed.count / 2)), to: dir, "cut.csv.zst")
        let e = try #require(throws: ZstdError.self) {
            try CSVReader(path: path).read(onRow: { _ in }, onSyntaxProblem: { _ in })
        }
        #expect(e.description.contains("cut.csv.zst"))
        #expect(e.description.contains("truncated"))
    }

    @Test func corruptZstdIsAnError() throws {
        let dir = TestPaths.temporaryDirectory()
        let path = TestPaths.write(Array("this is not zstd at all".utf8), to: dir, "bad.csv.zst")
        #expect(throws: ZstdError.self) {
            try CSVReader(path: path).read(onRow: { _ in }, onSyntaxProblem: { _ in })
        }
    }

    @Test func writerRoundTripsThroughTheReader() throws {
        let dir = TestPaths.temporaryDirectory()
        for name in ["w.csv", "w.csv.zst"] {
            let path = dir + "/" + name
            let w = try CSVWriter(path: path, header: ["名称", "note"], bom: true)
            try w.row(["山东\"好\"公司", "a,b\nc"])
            try w.close()
            var rows: [[String]] = []
            try CSVReader(path: path).read(onRow: { rows.append($0.strings) }, onSyntaxProblem: { _ in })
            #expect(rows == [["名称", "note"], ["山东\"好\"公司", "a,b\nc"]])
        }
    }

    @Test func manyRowsAcrossChunkBoundaries() throws {
        // Rows longer than nothing but far more bytes than one read chunk (1 MiB).
        let row = String(repeating: "x", count: 300)
        let text = "h\n" + (0..<10000).map { "\"\(row)\($0)\"" }.joined(separator: "\n") + "\n"
        let p = try parse(text)
        #expect(p.rows.count == 10001)
        #expect(p.rows.last?.fields == ["\(row)9999"])
        #expect(p.rows.last?.line == 10001)
    }
}
