import Foundation
import Testing
import TestSupport

/// Issue 17, evidence, by hand: SampleData plus a delivery part written here for 91370602HANDMADE3C, whose
/// every record's fate is worked out below from the tag definitions:
///
/// | line | case | decided | kind, severity | penalty.count.3y | penalty.serious.3y |
/// |---|---|---|---|---|---|
/// | 2 | 〔2021〕7号 | 2021-06-01 | fine, serious | outside the 3-year window | outside the window |
/// | 3 | 〔2024〕123号 | 2024-03-05 | fine, serious | counted | counted |
/// | 4 | 〔2024〕200号 | 2024-08-09 | warning, minor | counted | filtered out (not serious) |
/// | 5 | 〔2024〕123号 again | 2024-03-05 | a duplicate by key | not listed twice | not listed twice |
@Suite("evidence: explain --tag lists the records behind a tag, by hand", .serialized)
struct EvidenceExplainTests {
    static let part = """
        uscc,case_no,decided_on,kind,severity,amount
        91370602HANDMADE3C,鲁烟市监罚〔2021〕7号,2021-06-01,fine,serious,20000
        91370602HANDMADE3C,鲁烟市监罚〔2024〕123号,2024-03-05,fine,serious,50000
        91370602HANDMADE3C,鲁烟市监罚〔2024〕200号,2024-08-09,warning,minor,0
        91370602HANDMADE3C,鲁烟市监罚〔2024〕123号,2024-03-05,fine,serious,50000

        """

    /// The run, made once: SampleData copied, the part added.
    static let run: (dir: String, input: String) = {
        let input = TestPaths.temporaryDirectory("evidence-input") + "/SampleData"
        try! FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: input)
        _ = TestPaths.write(part, to: input + "/market", "penalties-evidence.csv")
        let r = try! CLI.runPipeline(input: input)
        precondition(r.result.status == 0, r.result.stderr)
        return (r.dir, input)
    }()

    static func explain(_ extra: [String]) throws -> String {
        let r = try CLI.run(["explain", "91370602HANDMADE3C", "--run", run.dir] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout
    }

    var file: String { Self.run.input + "/market/penalties-evidence.csv" }

    @Test("a count over a window: the records inside it, each once, with file and line")
    func countWithinWindow() throws {
        let out = try Self.explain(["--tag", "penalty.count.3y"])
        #expect(
            out == """
                USCC 91370602HANDMADE3C
                penalty.count.3y = 2  近三年行政处罚次数
                  count(penalties within 3y)
                  count(penalties): 2 records
                    鲁烟市监罚〔2024〕123号 2024-03-05 罚款 严重 ¥50,000  [\(file):3]
                    鲁烟市监罚〔2024〕200号 2024-08-09 警告 轻微 ¥0  [\(file):4]

                """)
    }

    @Test("a record filter: the record it leaves out is not listed")
    func filtered() throws {
        let out = try Self.explain(["--tag", "penalty.serious.3y"])
        #expect(out.contains("penalty.serious.3y = 1"))
        #expect(out.contains("exists(penalties): 1 record\n"))
        #expect(out.contains("鲁烟市监罚〔2024〕123号 2024-03-05 罚款 严重 ¥50,000  [\(file):3]"))
        #expect(!out.contains("〔2024〕200号"))
        #expect(!out.contains("〔2021〕7号"))
    }

    @Test("explain without --tag lists the records under the scorecard line they score on")
    func underTheScorecardLine() throws {
        let out = try Self.explain([])
        let lines = out.components(separatedBy: "\n")
        let at = try #require(lines.firstIndex { $0.contains("→ penalty.count.3y") })
        #expect(lines[at + 1].hasSuffix("penalty.count.3y = 2  近三年行政处罚次数"))
        #expect(lines[at + 4].contains("鲁烟市监罚〔2024〕123号") && lines[at + 4].hasSuffix("penalties-evidence.csv:3]"))
        #expect(lines[at + 5].contains("鲁烟市监罚〔2024〕200号") && lines[at + 5].hasSuffix("penalties-evidence.csv:4]"))
        #expect(out.components(separatedBy: "〔2024〕123号").count - 1 == 2)  // under penalty.count.3y and penalty.serious.3y
    }

    @Test("a derived tag lists the records of the tags it reads, grouped by tag; latest lists the record chosen")
    func derivedAndLatest() throws {
        let out = try Self.explain(["--tag", "tax.rating.is_M"])
        // tax.rating.is_M reads tax.rating = latest(tax_ratings.rating): the rating published last (2024-04-20).
        #expect(out.contains("tax.rating.is_M = "))
        #expect(out.contains("tax.rating = M  最近纳税信用级别"))
        #expect(out.contains("latest(tax_ratings): 1 record"))
        #expect(out.contains("2023 M 2024-04-20  [\(Self.run.input)/tax/ratings-handmade.csv:3]"))
    }

    @Test("an unknown tag is refused with a suggestion")
    func unknownTag() throws {
        let r = try CLI.run(["explain", "91370602HANDMADE3C", "--run", Self.run.dir, "--tag", "penalty.count.3"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("no tag 'penalty.count.3'"))
    }
}
