import DigiTagBase
import DigiTagIO
import Foundation
import Query
import TestSupport
import Testing

/// `digitag export tags` against the run's own tags.csv, read back with the project's CSV reader.
@Suite struct TagExportTests {
    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }

    @Test("every tag of every enterprise: the bytes of the run's tags.csv")
    func wholeExportIsTheRunsTagsCSV() throws {
        let out = TestPaths.temporaryDirectory("export") + "/tags.csv"
        let s = try TagExport.write(run: StoreFixture.run, definition: StoreFixture.definition, condition: nil, columns: nil, to: out)
        #expect(s.rows == StoreFixture.tags.rows.count)
        #expect(s.columns == StoreFixture.tags.header.count)
        let expected = Self.bytes(StoreFixture.run + "/tags.csv")
        #expect(expected.count > 1_000_000)
        #expect(Self.bytes(out) == expected)
    }

    @Test("--where keeps the rows whose condition holds, --columns the named tags and prefixes, in catalog order")
    func whereAndColumns() throws {
        let out = TestPaths.temporaryDirectory("export-where") + "/slice.csv"
        let s = try TagExport.write(
            run: StoreFixture.run, definition: StoreFixture.definition, condition: "abnormal.listed and class in ['C','D']",
            columns: ["tax.rating", "abnormal.*"], to: out)
        let got = StoreFixture.table(out)
        // The oracle: the run's tags.csv and classes.csv, filtered and projected here.
        let all = StoreFixture.tags
        let abnormal = all.header.indices.filter { all.header[$0].hasPrefix("abnormal.") }
        let rating = all.header.firstIndex(of: "tax.rating")!
        let keep = ([rating] + abnormal).sorted()
        let listed = all.header.firstIndex(of: "abnormal.listed")!
        let classOf = Dictionary(uniqueKeysWithValues: StoreFixture.classes.rows.map { ($0[0], $0[5]) })
        let rows = all.rows.filter { $0[listed] == "1" && ["C", "D"].contains(classOf[$0[0]]!) }
        #expect(!rows.isEmpty && rows.count < all.rows.count)
        #expect(got.header == ["uscc"] + keep.map { all.header[$0] })
        #expect(got.rows == rows.map { r in [r[0]] + keep.map { r[$0] } })
        #expect(s.rows == rows.count)
    }

    @Test("a .zst name is written compressed, with the same content")
    func compressed() throws {
        let dir = TestPaths.temporaryDirectory("export-zst")
        _ = try TagExport.write(
            run: StoreFixture.run, definition: StoreFixture.definition, condition: nil, columns: ["basic.*"], to: dir + "/t.csv.zst")
        _ = try TagExport.write(
            run: StoreFixture.run, definition: StoreFixture.definition, condition: nil, columns: ["basic.*"], to: dir + "/t.csv")
        #expect(Array(Self.bytes(dir + "/t.csv.zst").prefix(4)) == [0x28, 0xB5, 0x2F, 0xFD], "a zstd frame")
        let unpacked = try ProcessRunner.run("/usr/bin/zstd", ["-dc", dir + "/t.csv.zst"])
        #expect(Array(unpacked.stdout.utf8) == Self.bytes(dir + "/t.csv"))
    }

    @Test("an unknown tag is refused with a suggestion, before anything is written")
    func unknownColumn() throws {
        let out = TestPaths.temporaryDirectory("export-bad") + "/x.csv"
        #expect {
            _ = try TagExport.write(run: StoreFixture.run, definition: StoreFixture.definition, condition: nil, columns: ["tax.ratng"], to: out)
        } throws: { error in
            let q = error as? QueryError
            return q?.message == "no tag 'tax.ratng' in the catalog" && q?.hint == "did you mean 'tax.rating'?"
        }
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
