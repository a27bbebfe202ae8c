import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import NightlyRun
import ProfileStore
import Query
import TestSupport
import Testing

@Suite("Profile store round trip")
struct StoreRoundTripTests {
    @Test("every tag value of every enterprise reads back as tags.csv wrote it")
    func tagsRoundTrip() throws {
        let reader = try StoreReader(run: StoreFixture.run)
        let (header, rows) = StoreFixture.tags
        #expect(reader.meta.enterprises == rows.count)
        #expect(reader.meta.tags.map(\.id) == Array(header.dropFirst()))
        var compared = 0
        for (k, id) in header.enumerated() {
            let c = try reader.column(id)
            var ordinal = 0
            for g in 0..<reader.groupCount {
                let values: [String]
                switch reader.meta.columns[c].kind {
                case .key: values = try reader.keys(group: g).map(USCC.text)
                case .category:
                    let d = reader.meta.columns[c].dictionary!
                    values = try reader.dictionaryIndices(column: c, group: g).map { $0 < 0 ? "" : d[Int($0)] }
                default: values = (0..<reader.rows(inGroup: g)).map { _ in "" }
                }
                for (i, v) in values.enumerated() {
                    let expected = rows[ordinal + i][k]
                    // Every column through the one-row path too; key and category columns through the block path.
                    let one = try reader.formatted(column: c, ordinal: ordinal + i)
                    #expect(one == expected, "\(id) of \(rows[ordinal + i][0])")
                    if reader.meta.columns[c].kind == .key || reader.meta.columns[c].kind == .category {
                        #expect(v == expected, "\(id) of \(rows[ordinal + i][0])")
                    }
                    compared += 1
                }
                ordinal += values.count
            }
        }
        #expect(compared == rows.count * header.count)
    }

    @Test("name, region, class, score and reasons read back as classes.csv wrote them")
    func classesRoundTrip() throws {
        let reader = try StoreReader(run: StoreFixture.run)
        let (header, rows) = StoreFixture.classes
        let regions = Dictionary(uniqueKeysWithValues: reader.meta.regions.map { ($0.code, $0) })
        let col = { (name: String) in try reader.column(name) }
        for (e, row) in rows.enumerated() {
            let r = Dictionary(uniqueKeysWithValues: zip(header, row))
            #expect(try reader.formatted(column: col("uscc"), ordinal: e) == r["uscc"])
            #expect(try reader.formatted(column: col("name"), ordinal: e) == r["name"])
            let region = try reader.formatted(column: col("reg.region"), ordinal: e)
            #expect(region == r["region"])
            #expect(regions[region]?.cityCode == r["city"])
            #expect(regions[region]?.cityName == r["city_name"])
            #expect(try reader.formatted(column: col("class"), ordinal: e) == r["class"])
            #expect(try reader.formatted(column: col("score"), ordinal: e) == r["score"])
            #expect(try reader.formatted(column: col("reasons"), ordinal: e) == r["reasons"])
            #expect(try reader.formatted(column: col("reasons_zh"), ordinal: e) == r["reasons_zh"])
        }
    }

    @Test("a profile finds every enterprise by its USCC and shows the values of both CSV files")
    func profileLookup() throws {
        let reader = try StoreReader(run: StoreFixture.run)
        let records = StoreFixture.records
        for k in stride(from: 0, to: records.count, by: 97) {
            let r = records[k]
            let key = try USCC.parse(r["uscc"]!).get()
            let p = try #require(try EnterpriseProfile.lookup(uscc: key, reader: reader, run: StoreFixture.run))
            #expect(p.uscc == r["uscc"])
            #expect(p.name == r["classes.name"])
            #expect(p.riskClass == r["classes.class"])
            #expect(p.score == r["classes.score"])
            #expect(p.tags.count == reader.meta.tags.count)
            for t in p.tags { #expect(t.value == r[t.tag.id], "\(t.tag.id)") }
        }
        // A valid code that is not in the run.
        #expect(try EnterpriseProfile.lookup(uscc: try USCC.parse(USCC.complete("91370100MA0000000")).get(), reader: reader, run: StoreFixture.run) == nil)
    }

    @Test("the hand-made enterprise's profile, and its JSON is valid")
    func handmadeProfile() throws {
        let p = try #require(try EnterpriseProfile.lookup(uscc: try USCC.parse("91370102HANDMADE1C").get(), run: StoreFixture.run))
        #expect(p.riskClass == "B")
        #expect(p.score == "15")
        let json = ProfileReport.json(p, changes: nil)
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        #expect(object?["class"] as? String == "B")
        let text = ProfileReport.text(p, changes: nil)
        #expect(text.contains("济南\"好\"商贸有限公司"))
        #expect(text.contains("基础属性 basic"))
    }
}

@Suite("Profile store determinism and changes")
struct StoreDeterminismTests {
    @Test("the store and its row blocks are the same bytes whatever the shard and thread counts")
    func sameBytes() throws {
        let out = TestPaths.temporaryDirectory("store-shards")
        let run = try Runner.run(
            RunOptions(
                pipeline: StoreFixture.pipeline, input: TestPaths.repo("SampleData"), asOf: Day(iso: "2024-12-31")!, output: out, threads: 1,
                shards: 7)
        ).runDirectory
        let a = FileManager.default.contents(atPath: StoreFormat.path(run: run))
        let b = FileManager.default.contents(atPath: StoreFormat.path(run: StoreFixture.run))
        #expect(a != nil && a == b)
        let rowsA = FileManager.default.contents(atPath: RowBlockFormat.path(run: run))
        let rowsB = FileManager.default.contents(atPath: RowBlockFormat.path(run: StoreFixture.run))
        #expect(rowsA != nil && rowsA == rowsB)
    }

    @Test("--changes compares with the latest earlier run under the same root, and says when there is none")
    func changes() throws {
        let root = TestPaths.temporaryDirectory("store-changes")
        let options = { (date: String) in
            RunOptions(pipeline: StoreFixture.pipeline, input: TestPaths.repo("SampleData"), asOf: Day(iso: date)!, output: root, threads: 2)
        }
        let first = try Runner.run(options("2024-06-30")).runDirectory
        let key = try USCC.parse("92370202HANDMADE2H").get()
        let early = try #require(try EnterpriseProfile.lookup(uscc: key, run: first))
        let none = try ProfileChanges.compare(early)
        #expect(none.previousRun == nil)
        #expect(none.note?.hasPrefix("no previous run") == true)
        let second = try Runner.run(options("2024-12-31")).runDirectory
        // Through the `current` link, as an analyst would ask.
        let late = try #require(try EnterpriseProfile.lookup(uscc: key, run: root + "/current"))
        let diff = try ProfileChanges.compare(late)
        #expect(diff.previousRun.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } == URL(fileURLWithPath: first).resolvingSymlinksInPath().path)
        #expect(diff.previousAsOf == "2024-06-30")
        let byField = Dictionary(uniqueKeysWithValues: diff.changes.map { ($0.field, $0) })
        #expect(byField["class"]?.after == late.riskClass)
        #expect(byField["class"]?.before == early.riskClass)
        // Every tag that differs is reported, and only those.
        let before = Dictionary(uniqueKeysWithValues: early.tags.map { ($0.tag.id, $0.value) })
        let changed = Set(late.tags.filter { before[$0.tag.id] != $0.value }.map(\.tag.id))
        #expect(Set(diff.changes.map(\.field)).intersection(Set(late.tags.map(\.tag.id))) == changed)
        _ = second
    }
}
