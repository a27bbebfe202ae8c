import DataContract
import DigiTagBase
import Engine
import Foundation
import NightlyRun
import ProfileStore
import Query
import RunModel
import TestSupport
import Testing

/// `store/rows.dts`: the row blocks a profile reads (docs/STORE-FORMAT.md, "Row blocks").
@Suite("Profile store row blocks")
struct RowBlockTests {
    @Test("every value of every enterprise reads back from its row block as tags.csv and classes.csv wrote it")
    func everyValue() throws {
        let reader = try StoreReader(run: StoreFixture.run)
        #expect(reader.hasRowBlocks)
        let records = StoreFixture.records
        let tagIDs = Array(StoreFixture.tags.header.dropFirst())
        var compared = 0
        for (o, r) in records.enumerated() {
            let row = try reader.row(ordinal: o)
            #expect(row.ordinal == o)
            #expect(try row.formatted("uscc") == r["uscc"])
            for id in tagIDs {
                #expect(try row.formatted(id) == r[id], "\(id) of \(r["uscc"]!)")
                compared += 1
            }
            for field in ["name", "region", "class", "score", "reasons", "reasons_zh"] {
                #expect(try row.formatted(field == "region" ? "reg.region" : field) == r["classes." + field], "\(field) of \(r["uscc"]!)")
            }
        }
        #expect(compared == records.count * tagIDs.count)
    }

    @Test("every USCC finds its own ordinal through the row blocks; codes not in the run find nothing")
    func findByKey() throws {
        let reader = try StoreReader(run: StoreFixture.run)
        for (o, r) in StoreFixture.records.enumerated() {
            let key = try USCC.parse(r["uscc"]!).get()
            #expect(try reader.row(of: key)?.ordinal == o, "\(r["uscc"]!)")
        }
        // Below the first USCC, above the last, and between two of the run's.
        for code in ["11000000000000000X", "Y1370100MA00000001", USCC.complete("91370100MA0000000")] {
            guard case .success(let key) = USCC.parse(code) else { continue }
            #expect(try reader.row(of: key) == nil, "\(code)")
        }
    }

    @Test("a run without rows.dts gives the same profiles from the column blocks")
    func withoutRowBlocks() throws {
        let run = StoreFixture.copyOfRun()
        try FileManager.default.removeItem(atPath: RowBlockFormat.path(run: run))
        let columns = try StoreReader(run: run)
        let rows = try StoreReader(run: StoreFixture.run)
        #expect(!columns.hasRowBlocks)
        for r in StoreFixture.records.enumerated().filter({ $0.offset % 53 == 0 }).map(\.element) {
            let key = try USCC.parse(r["uscc"]!).get()
            let a = try #require(try EnterpriseProfile.lookup(uscc: key, reader: columns, run: run))
            let b = try #require(try EnterpriseProfile.lookup(uscc: key, reader: rows, run: run))
            #expect(a.tags.map(\.value) == b.tags.map(\.value))
            #expect(a.facts.map(\.value) == b.facts.map(\.value))
            #expect([a.uscc, a.name, a.riskClass, a.score, a.reasons, a.reasonsZh] == [b.uscc, b.name, b.riskClass, b.score, b.reasons, b.reasonsZh])
        }
    }

    static func tamperRows(_ edit: (inout [UInt8]) -> Void) -> String {
        let run = StoreFixture.copyOfRun()
        let path = RowBlockFormat.path(run: run)
        var bytes = [UInt8](FileManager.default.contents(atPath: path)!)
        edit(&bytes)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        return run
    }

    /// Reads every row block.
    static func readAll(_ run: String) throws {
        let reader = try StoreReader(run: run)
        for o in stride(from: 0, to: reader.meta.enterprises, by: RowBlockFormat.blockSize) { _ = try reader.row(ordinal: o).formatted("name") }
    }

    @Test("a flipped byte in a row block is caught by its checksum; a cut or foreign file is refused when opened")
    func integrity() throws {
        try Self.readAll(StoreFixture.run)
        let flipped = Self.tamperRows { $0[40] ^= 0x5A }
        let m = StoreIntegrityTests.message { try Self.readAll(flipped) }
        #expect(m?.contains("corrupt row blocks: checksum mismatch in the block of rows 1–64") == true, "\(m ?? "no error")")
        for keep in [0, 10, 100, 5000] {
            let cut = Self.tamperRows { $0 = Array($0.prefix(keep)) }
            let m = StoreIntegrityTests.message { _ = try StoreReader(run: cut) }
            #expect(m?.contains("row blocks") == true, "\(keep) bytes: \(m ?? "no error")")
        }
        let directory = Self.tamperRows { $0[$0.count - 30] ^= 0x01 }
        let d = StoreIntegrityTests.message { _ = try StoreReader(run: directory) }
        #expect(d?.contains("corrupt row blocks") == true, "\(d ?? "no error")")
        // Another run's rows.dts (a different number of enterprises) beside this store.
        let other = TestPaths.temporaryDirectory("rows-foreign")
        let small = try Runner.run(
            RunOptions(pipeline: StoreFixture.pipeline, input: TestPaths.repo("SampleData"), asOf: Day(iso: "2024-06-30")!, output: other, threads: 2)
        ).runDirectory
        let mixed = StoreFixture.copyOfRun()
        try FileManager.default.removeItem(atPath: RowBlockFormat.path(run: mixed))
        try FileManager.default.copyItem(atPath: RowBlockFormat.path(run: small), toPath: RowBlockFormat.path(run: mixed))
        let f = StoreIntegrityTests.message { _ = try StoreReader(run: mixed) }
        #expect(try StoreReader(run: small).meta.enterprises != (try StoreReader(run: StoreFixture.run).meta.enterprises))
        #expect(f?.contains("row blocks do not match profile.dts") == true, "\(f ?? "no error")")
    }
}
