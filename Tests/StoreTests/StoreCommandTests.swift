import Foundation
import Testing
import TestSupport

/// The store commands run as a person runs them: the built binary (`DIGITAG_BIN`, else .build/debug/digitag).
@Suite("profile, query and stats commands")
struct StoreCommandTests {
    static func digitag(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let r = try ProcessRunner.run(ProcessRunner.digitag, arguments)
        return (r.status, r.stdout, r.stderr)
    }

    @Test("a profile, a wrong check character, and a valid code not in the run")
    func profile() throws {
        let run = StoreFixture.run
        let ok = try Self.digitag(["profile", "91370102HANDMADE1C", "--run", run])
        #expect(ok.status == 0)
        #expect(ok.out.contains("济南\"好\"商贸有限公司"))
        #expect(ok.out.contains("true, non-zero or with a value"))
        let bad = try Self.digitag(["profile", "91370102HANDMADE1D", "--run", run])
        #expect(bad.status == 64)
        #expect(bad.err.contains("check character is 'D', GB 32100-2015 gives 'C'"))
        let absent = try Self.digitag(["profile", "91370100MA0000000W", "--run", run])
        #expect(absent.status == 3)
        #expect(absent.err.contains("no enterprise 91370100MA0000000W"))
    }

    @Test("a query counts, and a typo is shown with a caret and exit code 64")
    func query() throws {
        let run = StoreFixture.run
        let count = try Self.digitag(["query", "class == 'D'", "--run", run, "--format", "json"])
        #expect(count.status == 0)
        let expected = StoreFixture.records.filter { $0["classes.class"] == "D" }.count
        #expect(count.out.contains("\"count\": \(expected)"))
        let typo = try Self.digitag(["query", "abnormal.lsted", "--run", run])
        #expect(typo.status == 64)
        #expect(typo.err.contains("  abnormal.lsted\n  ^"))
        let stats = try Self.digitag(["stats", "--run", run])
        #expect(stats.status == 0)
        #expect(stats.out.contains("全省 total"))
    }
}
