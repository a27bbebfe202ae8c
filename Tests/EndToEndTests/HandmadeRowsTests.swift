import DataContract
import DigiTagIO
import Foundation
import TestSupport
import Testing

/// SampleData's hand-made rows and enterprises: every bad row rejected for the documented reason, and
/// three enterprises whose tags and class were computed by hand from their records.
@Suite struct HandmadeRowsTests {
    var run: String { RunTests.sampleRun.dir }

    /// The table in SampleData/README.md: file, line, outcome, field.
    static let documented: [(file: String, line: Int, rejected: Bool, field: String)] = {
        TestPaths.read(TestPaths.repo("SampleData/README.md")).split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count >= 6, cells[1].hasSuffix("-handmade.csv"), let n = Int(cells[2]) else { return nil }
            return (cells[1], n, cells[3] == "rejected", cells[4] == "(row)" ? "" : cells[4])
        }
    }()

    @Test func everyDocumentedBadRowIsRejectedWithItsField() throws {
        #expect(Self.documented.count >= 30)
        var rejected: [String: (field: String, reason: String)] = [:]
        for file in ((try? FileManager.default.contentsOfDirectory(atPath: run + "/rejects")) ?? []).sorted() {
            let t = try ReferenceTable.load(run + "/rejects/" + file, requiredColumns: ["file", "line", "field", "reason"])
            for r in t.rows where r[0].contains("-handmade.csv") {
                let key = String(r[0].split(separator: "/").suffix(2).joined(separator: "/")) + ":" + r[1]
                rejected[key] = (r[2], r[3])
            }
        }
        for d in Self.documented {
            let got = rejected["\(d.file):\(d.line)"]
            if d.rejected {
                #expect(got?.field == d.field, "\(d.file):\(d.line) should be rejected for \(d.field), got \(String(describing: got))")
            } else {
                #expect(got == nil, "\(d.file):\(d.line) should be accepted, rejected: \(got?.reason ?? "")")
            }
        }
        #expect(rejected.count == Self.documented.filter(\.rejected).count)
    }

    @Test func reasonsSayWhatWasExpected() throws {
        let t = try ReferenceTable.load(run + "/rejects/penalties.csv", requiredColumns: ["line", "reason"])
        let byLine = Dictionary(uniqueKeysWithValues: t.rows.filter { $0[0].contains("handmade") }.map { (Int($0[1])!, $0[3]) })
        #expect(byLine[5]?.contains("check character is 'G', GB 32100-2015 gives '9'") == true)
        #expect(byLine[6]?.contains("expected a date as YYYY-MM-DD, found '2024/05/01'") == true)
        #expect(byLine[8]?.contains("found '一千元'") == true)
        #expect(byLine[10]?.contains("unknown code 'reprimand'") == true)
        #expect(byLine[11] == "expected 6 fields as in the header, found 7")
    }

    func row(_ file: String, _ uscc: String) throws -> [String: String] {
        let t = try ReferenceTable.load(run + "/" + file, requiredColumns: ["uscc"])
        let i = try #require(t.rows.firstIndex { $0[0] == uscc }, "\(uscc) not in \(file)")
        return t.record(i)
    }

    @Test func quotedFieldsSurviveIntact() throws {
        #expect(try row("classes.csv", "91370102HANDMADE1C")["name"] == "济南\"好\"商贸有限公司")
    }

    /// 李明's trading company: no annual report for 2023 (due 2024-06-30) → +10; one penalty (2024-06-18) in
    /// 3 years → +5; tax rating B (0 points). Score 15 → B.
    @Test func handCheckedTradingCompany() throws {
        let tags = try row("tags.csv", "91370102HANDMADE1C")
        #expect(tags["annual.missing.1y_ago"] == "1")
        #expect(tags["penalty.count.3y"] == "1")
        #expect(tags["penalty.amount.1y"] == "12000.5")
        #expect(tags["tax.rating"] == "B")
        #expect(tags["tax.rating.score"] == "85")
        #expect(tags["basic.age.years"] == "4")
        #expect(tags["region.city"] == "3701")
        #expect(tags["abnormal.listed"] == "0")
        let c = try row("classes.csv", "91370102HANDMADE1C")
        #expect(c["class"] == "B")
        #expect(c["score"] == "15")
    }

    /// 老王's seafood stall: black list (safety) since 2024-08-01, removed only on 2025-02-01 → still listed
    /// on 2024-12-31 → +20; serious confiscation 2024-09-02 → +15 and one penalty in 3 years +5; no 2023
    /// report → +10. Score 50 → C.
    @Test func handCheckedStallOnABlackList() throws {
        let tags = try row("tags.csv", "92370202HANDMADE2H")
        #expect(tags["credit.black"] == "1")
        #expect(tags["credit.black.safety"] == "1")
        #expect(tags["penalty.serious.1y"] == "1")
        #expect(tags["penalty.amount.1y"] == "3600")
        #expect(tags["basic.entity_type"] == "individual_business")
        #expect(tags["tax.rating"] == "")
        let c = try row("classes.csv", "92370202HANDMADE2H")
        #expect(c["class"] == "C")
        #expect(c["score"] == "50")
        #expect(c["reasons"]?.hasPrefix("credit.black(+20); penalty.serious.3y(+15)") == true)
        #expect(c["reasons_zh"]?.hasPrefix("列入联合惩戒黑名单（+20）") == true)
        #expect(c["reasons_en"]?.hasPrefix("On a joint-punishment black list (+20); Serious penalty in the last 3 years (+15)") == true)
    }

    /// A food company cancelled on 2024-06-28: status cancelled; rating M → +3; no 2023 report → +10. Score 13 → B.
    @Test func handCheckedCancelledCompany() throws {
        let tags = try row("tags.csv", "91370602HANDMADE3C")
        #expect(tags["basic.status"] == "cancelled")
        #expect(tags["basic.status.operating"] == "0")
        #expect(tags["tax.rating"] == "M")
        #expect(tags["tax.rating.score"] == "")
        let c = try row("classes.csv", "91370602HANDMADE3C")
        #expect(c["class"] == "B")
        #expect(c["score"] == "13")
    }
}
