import DigiTagIO
import Foundation
import PropertyBased
import TestSupport
import Testing

/// Whatever rows `CSVWriter` writes, `CSVReader` reads back the same fields, each row with the physical
/// line it starts on; plain or zstd-compressed, and whatever the sizes of the chunks the bytes arrive in.
@Suite struct CSVRoundTripPropertyTests {
    /// A generated CSV file: rows (the first is the header), whether it starts with a BOM, and the sizes of
    /// the pieces its bytes are served in (plain and compressed: each list covers its own bytes).
    struct Case: CustomStringConvertible {
        var rows: [[String]]
        var bom: Bool
        /// The largest piece when serving the file through a FIFO; pieces are drawn from 1...maxPiece.
        var maxPiece: Int
        var pieceSeed: UInt64

        var description: String {
            "bom: \(bom), pieces of 1...\(maxPiece), rows:\n" + rows.map { "  \($0.debugDescription)" }.joined(separator: "\n")
        }

        /// The physical (LF-counted) line each row starts on: a row ends with one LF, and every LF inside its
        /// fields (which the writer quotes) moves the next row down one more line.
        var expectedLines: [Int] {
            var line = 1
            return rows.map { row in
                defer { line += 1 + row.reduce(0) { $0 + $1.utf8.count(where: { $0 == 0x0A }) } }
                return line
            }
        }

        /// Sizes of the pieces `count` bytes are served in.
        func pieces(_ count: Int) -> [Int] {
            var rng = Xoshiro(seed: SeededProperty.caseState(base: pieceSeed, case: count))
            var out: [Int] = []
            var left = count
            while left > 0 {
                let n = min(left, Int.random(in: 1...maxPiece, using: &rng))
                out.append(n)
                left -= n
            }
            return out
        }
    }

    /// The bits fields are made of: everything the writer must quote or the reader could trip over.
    static let atoms: [String] = [
        "a", "Z", "0", "42", "x y", " ", "  ", "\t", ",", "\"", "\"\"", "'", "\r", "\n", "\r\n", "\n\r", ";", "\\",
        "山东", "济南市历下区", "有限公司", "（", "）", "，", "é", "😀", "\u{FEFF}", "#", "=", "-", "1.5", "NULL",
    ]

    static let field: Generator<String, Shrink.None<String>> = Generator { rng in
        switch Int.random(in: 0..<10, using: &rng) {
        case 0: return ""
        case 1: return String(repeating: "长", count: Int.random(in: 50...400, using: &rng))
        default:
            let n = Int.random(in: 1...6, using: &rng)
            return (0..<n).map { _ in atoms.randomElement(using: &rng)! }.joined()
        }
    }

    static let csvCase: Generator<Case, Shrink.None<Case>> = Generator { rng in
        let rowCount = Int.random(in: 1...(Bool.random(using: &rng) ? 4 : 25), using: &rng)
        var rows = (0..<rowCount).map { _ in
            (0..<Int.random(in: 1...6, using: &rng)).map { _ in field.run(using: &rng) }
        }
        let bom = Int.random(in: 0..<4, using: &rng) == 0
        // A file whose first bytes are EF BB BF starts with a BOM, for us as for every reader: without a BOM of
        // its own, a file cannot start with a text that starts with U+FEFF.
        if !bom { while rows[0][0].hasPrefix("\u{FEFF}") { rows[0][0].removeFirst() } }
        let maxPiece = [1, 2, 3, Int.random(in: 1...16, using: &rng), Int.random(in: 16...512, using: &rng), 4096]
            .randomElement(using: &rng)!
        return Case(rows: rows, bom: bom, maxPiece: maxPiece, pieceSeed: rng.next())
    }

    struct Read: Equatable {
        var rows: [[String]] = []
        var lines: [Int] = []
        var problems: [String] = []

        /// The first difference from `expected`, to read in a failure; nil when equal.
        func difference(from expected: Read) -> String? {
            if !problems.isEmpty { return "syntax problems: \(problems)" }
            for r in 0..<max(rows.count, expected.rows.count) {
                let got = r < rows.count ? "\(rows[r].debugDescription) on line \(lines[r])" : "nothing"
                let want = r < expected.rows.count ? "\(expected.rows[r].debugDescription) on line \(expected.lines[r])" : "nothing"
                if got != want { return "row \(r) of \(expected.rows.count): read \(got), wrote \(want)" }
            }
            return nil
        }
    }

    static func read(_ path: String) throws -> Read {
        var out = Read()
        try CSVReader(path: path).read(
            onRow: {
                out.rows.append($0.strings)
                out.lines.append($0.line)
            },
            onSyntaxProblem: { out.problems.append("line \($0.line): \($0.message)") })
        return out
    }

    @Test func writtenRowsReadBackIdenticallyWhateverTheChunks() async throws {
        let dir = TestPaths.temporaryDirectory("csv-property")
        var n = 0
        await SeededProperty.check("csv round trip", seed: 20_241_231, iterations: 120, input: Self.csvCase) { c in
            n += 1
            let expected = Read(rows: c.rows, lines: c.expectedLines, problems: [])
            for name in ["p\(n).csv", "p\(n).csv.zst"] {
                let path = dir + "/" + name
                let w = try CSVWriter(path: path, header: c.rows[0], bom: c.bom)
                for row in c.rows.dropFirst() { try w.row(row) }
                try w.close()
                // The file as it is, in 1 MiB reads.
                let whole = try Self.read(path)
                #expect(whole == expected, "\(name), read from the file: \(whole.difference(from: expected) ?? "")")
                // The same bytes through a FIFO, in the case's pieces.
                let bytes = [UInt8](FileManager.default.contents(atPath: path)!)
                let fifo = dir + "/fifo-" + name
                let chunked = try ChunkedFIFO.serve(bytes, pieces: c.pieces(bytes.count), at: fifo) { try Self.read(fifo) }
                #expect(chunked == expected, "\(name), served in pieces of 1...\(c.maxPiece) bytes: \(chunked.difference(from: expected) ?? "")")
            }
        }
    }

    /// The FIFO really serves one piece per read: otherwise the property above would not test small chunks.
    @Test func theFIFOServesOnePiecePerRead() throws {
        let dir = TestPaths.temporaryDirectory("csv-fifo")
        let bytes = Array("abcdefghij".utf8)
        let pieces = [1, 3, 1, 5]
        let sizes = try ChunkedFIFO.serve(bytes, pieces: pieces, at: dir + "/f") {
            var sizes: [Int] = []
            var content: [UInt8] = []
            try ByteSource(path: dir + "/f").forEachChunk { chunk in
                sizes.append(chunk.count)
                content += chunk
            }
            #expect(content == bytes)
            return sizes
        }
        #expect(sizes == pieces)
    }
}
