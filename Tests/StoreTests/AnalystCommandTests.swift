import Foundation
import ProfileStore
import Testing
import TestSupport

/// Issue 14, the analysts' part: find by name, city and county names in queries, profile and explain pages,
/// machine-readable formats. Each through the built binary on the shared SampleData run.
@Suite("find, place names, profile --all, explain, formats")
struct AnalystCommandTests {
    static func digitag(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try ProcessRunner.run(ProcessRunner.digitag, arguments)
        return (r.status, r.stdout, r.stderr)
    }

    @Test("the name index ranks exact > prefix > substring, shorter names first, and never returns a non-match")
    func nameIndexRanking() throws {
        let dir = TestPaths.temporaryDirectory("names")
        let names = ["济南华力商贸有限公司", "华力", "力华科技", "华力科技有限公司", "青岛华丰力达", "华力科技", "", "华"]
        try NameIndex.write(names: names, to: dir + "/names.idx")
        let index = try NameIndexReader(path: dir + "/names.idx")
        #expect(index.count == names.count)
        let (hits, total) = index.search("华力", limit: 10)
        #expect(total == 4)
        #expect(hits.map(\.ordinal) == [1, 5, 3, 0])
        #expect(hits.map(\.match) == [.exact, .prefix, .prefix, .substring])
        #expect(index.search("华力", limit: 2).hits.map(\.ordinal) == [1, 5])
        #expect(index.search("华力", limit: 2).total == 4)
        // One character: a scan; bigrams that never occur next to each other: nothing.
        #expect(index.search("华", limit: 10).total == 7)
        #expect(index.search("力华科", limit: 10).hits.map(\.ordinal) == [2])
        #expect(index.search("丰达", limit: 10).total == 0)
        #expect(index.name(3) == "华力科技有限公司")
    }

    @Test("a cut name index is refused with its file named, exit 3")
    func truncatedNameIndex() throws {
        let run = StoreFixture.copyOfRun()
        let path = NameIndex.path(run: run)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count - 5).write(to: URL(fileURLWithPath: path))
        let r = try Self.digitag(["find", "华丰", "--run", run])
        #expect(r.status == 3)
        #expect(r.err.contains("names.idx"))
    }

    @Test("digitag find: every enterprise whose name holds the text, with USCC, city, county and class")
    func find() throws {
        let run = StoreFixture.run
        let expected = StoreFixture.classes.rows.filter { $0[1].contains("华丰") }
        #expect(!expected.isEmpty)
        let r = try Self.digitag(["find", " 华丰 ", "--run", run, "--limit", "1000"])
        #expect(r.status == 0)
        for row in expected {
            #expect(r.out.contains(row[0]))
            #expect(r.out.contains(row[1]))
        }
        #expect(r.out.contains("\(expected.count) enterprise\(expected.count == 1 ? "" : "s") with '华丰' in the name"))
        let first = expected[0]
        let line = r.out.split(separator: "\n").first { $0.contains(first[0]) }!
        #expect(line.contains(first[4]))  // city_name
        let json = try Self.digitag(["find", "华丰", "--run", run, "--format", "json", "--limit", "1"])
        #expect(json.out.hasPrefix("{\"total\": \(expected.count),"))
        let none = try Self.digitag(["find", "不存在的名字", "--run", run])
        #expect(none.status == 0)
        #expect(none.out.contains("no enterprise"))
    }

    @Test("city and county names work where codes do; --by city shows names beside codes")
    func placeNames() throws {
        let run = StoreFixture.run
        func count(_ e: String) throws -> String {
            let r = try Self.digitag(["query", e, "--run", run, "--format", "json"])
            #expect(r.status == 0, "\(e): \(r.err)")
            return r.out
        }
        #expect(try count("city == '济南市'") == count("city == '3701'"))
        #expect(try count("city != '济南市'") == count("city != '3701'"))
        #expect(try count("county == '历下区'") == count("region == '370102'"))
        // 市中区 is a county of both 济南 (370103) and 枣庄 (370402).
        #expect(try count("county == '市中区'") == count("region in ['370103', '370402']"))
        #expect(try count("city in ['济南市', '青岛市']") == count("city in ['3701', '3702']"))
        let jinan = StoreFixture.classes.rows.filter { $0[3] == "3701" }.count
        #expect(try count("city == '济南市'").contains("\"count\": \(jinan)"))
        let by = try Self.digitag(["query", "class == 'D'", "--by", "city", "--run", run])
        #expect(by.status == 0)
        #expect(by.out.hasPrefix("city  city_name"))
        #expect(by.out.contains("3701  济南市"))
    }

    @Test("profile shows the tags with a value first, --all every tag; typed USCCs are folded")
    func profile() throws {
        let run = StoreFixture.run
        let short = try Self.digitag(["profile", "91370102HANDMADE1C", "--run", run])
        #expect(short.status == 0)
        #expect(short.out.contains("more tags are false, 0 or empty (--all shows all 1026)"))
        let all = try Self.digitag(["profile", "91370102HANDMADE1C", "--run", run, "--all"])
        #expect(all.out.contains("默认 at their default:"))
        #expect(all.out.split(separator: "\n").count > short.out.split(separator: "\n").count + 500)
        // Full-width, lower case, spaces around: as pasted from a Chinese document.
        let typed = try Self.digitag(["profile", "  ９１３７０１０２ｈａｎｄｍａｄｅ１Ｃ　", "--run", run])
        #expect(typed.status == 0)
        #expect(typed.out == short.out)
        // Lengths count characters, not UTF-8 bytes.
        let chinese = try Self.digitag(["profile", "统一社会信用代码", "--run", run])
        #expect(chinese.status == 64)
        #expect(chinese.err.contains("a USCC has 18 characters, found 8"))
    }

    @Test("explain names the enterprise and aligns Chinese values by display width")
    func explain() throws {
        let run = StoreFixture.run
        let r = try Self.digitag(["explain", "91370102handmade1c", "--run", run])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.out.hasPrefix("USCC 91370102HANDMADE1C  济南\"好\"商贸有限公司"))
        // Every scorecard line's points start in the same terminal column.
        let lines = r.out.split(separator: "\n").filter { $0.contains("  value ") }.map(String.init)
        let columns = Set(lines.map { line -> Int in
            let prefix = line.components(separatedBy: "value ")[0]
            return TextTableWidth.of(prefix)
        })
        #expect(lines.count > 5)
        #expect(columns.count == 1)
    }

    @Test("stats --format json gives numbers; query --format csv has no byte-order mark, --csv files keep theirs")
    func formats() throws {
        let run = StoreFixture.run
        let stats = try Self.digitag(["stats", "--run", run, "--format", "json"])
        #expect(stats.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(stats.out.utf8)) as! [String: Any]
        let cities = object["classes_by_city"] as! [[String: Any]]
        let counts = cities[0]["counts"] as! [String: Any]
        #expect(counts["A"] is NSNumber)
        #expect(!stats.out.contains("%)"))
        let coverage = (object["family_coverage"] as! [[String: Any]])[0]
        #expect(coverage["mean_coverage"] is NSNumber)
        let csv = try Self.digitag(["query", "class == 'D'", "--list", "--run", run, "--format", "csv"])
        #expect(csv.status == 0)
        #expect(csv.out.hasPrefix("uscc,name,class,score"))
        let file = TestPaths.temporaryDirectory("csv") + "/d.csv"
        _ = try Self.digitag(["query", "class == 'D'", "--list", "--run", run, "--csv", file])
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: file)).prefix(3)) == [0xEF, 0xBB, 0xBF])
        for (command, formats) in [(["query", "class == 'D'", "--by", "city"], ["table", "json", "csv"]), (["profile", "91370102HANDMADE1C"], ["table", "json"]), (["stats"], ["table", "json"]), (["find", "华丰"], ["table", "json"])] {
            for f in formats {
                let r = try Self.digitag(command + ["--run", run, "--format", f])
                #expect(r.status == 0, "\(command) --format \(f): \(r.err)")
            }
        }
    }
}

/// Terminal columns of a string: East Asian wide characters count two (as TextTable.displayWidth).
enum TextTableWidth {
    static func of(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            w + ((0x2E80...0x9FFF).contains(u.value) || (0xFF00...0xFF60).contains(u.value) ? 2 : 1)
        }
    }
}
