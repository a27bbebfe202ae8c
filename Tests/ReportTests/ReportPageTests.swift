import DigiTagBase
import Foundation
@testable import ProfileStore
@testable import Report
@testable import RunModel
import TestSupport
import Testing


/// `report.html` built from a small hand-made report: escaping, self-containment and the charts' geometry.
@Suite struct ReportPageTests {
    /// A name with every character HTML gives a meaning to, and a control character.
    static let hostile = "<script>alert(\"x\")</script> & 'q' \u{1}"

    static func manifest(sources: String? = nil) throws -> Manifest {
        let json = """
            {"format_version": 1, "pipeline": "shandong", "pipeline_hash": "0123456789abcdef0123", "as_of": "2024-12-31",
             "input": "/data/<nightly>", "enterprises": 1234567, "enterprises_after_as_of": 0, "tags": 1026,
             "risk_model": "m v1", "class_counts": {"A": 1000000, "B": 200000, "C": 30000, "D": 4567},
             "sources": \(sources ?? """
            [{"source": "registration", "files": [{"path": "r.csv", "bytes": 1, "sha256": "x", "rows_read": 1000, "rows_accepted": 993,
               "rows_rejected": 7, "rows_after_as_of": 2, "extra_columns": []}]},
             {"source": "tax_filings", "files": [{"path": "t.csv", "bytes": 1, "sha256": "x", "rows_read": 4000, "rows_accepted": 4000,
               "rows_rejected": 0, "rows_after_as_of": 0, "extra_columns": []}]}]
            """),
             "outputs": [], "threads": 2, "shards": 1, "timings": {"compile": 0.5, "ingest": 3, "derive": 6.5, "write": 0.01, "zzz": 1},
             "gates": [{"gate": "schema_drift", "source": "registration", "passed": true, "detail": "columns not in the schema: <b>"}]}
            """
        return try JSONDecoder().decode(Manifest.self, from: Data(json.utf8))
    }

    static func report(changes: ChangeSummary? = nil) throws -> RunReport {
        var c = ChangeSummary.firstRun(to: "2024-12-31", coverageThreshold: 0.02)
        c.status = .compared
        c.from = "2024-11-30"
        c.classUp = 1
        c.classDown = 1
        c.classChanges = [
            .init(uscc: "91370102HANDMADE1C", name: hostile, from: "A", to: "D", direction: "up"),
            .init(uscc: "91370102MA3C4QX52K", name: "济南\"好\"商贸", from: "B", to: "A", direction: "down"),
        ]
        c.newListings = [.init(tag: "abnormal.listed", uscc: "91370102HANDMADE1C", name: hostile)]
        c.newListingCounts = ["abnormal.listed": 1, "credit.black": 0]
        c.coverageMoves = [.init(tag: "annual.late", before: 0.1, after: 0.25)]
        return RunReport(
            run: "2024-12-31", manifest: try manifest(),
            classes: [
                .init(code: "A", nameZh: "低风险", nameEn: "low"), .init(code: "B", nameZh: "一般风险", nameEn: "general"),
                .init(code: "C", nameZh: "较高风险", nameEn: "fairly high"), .init(code: "D", nameZh: "高风险", nameEn: "high"),
            ],
            cities: [
                .init(code: "3701", nameZh: "济南市", nameEn: "Jinan", counts: [600_000, 100_000, 10_000, 4567]),
                .init(code: "3702", nameZh: "青岛市", nameEn: "Qingdao", counts: [400_000, 100_000, 20_000, 0]),
            ],
            families: [
                .init(family: "basic.age", dimension: "basic", dimensionZh: "基础属性", tags: 3, mean: 0.68, min: 0.04, max: 1, emptyTags: 0),
                .init(family: "penalty.kind", dimension: "supervision", dimensionZh: "监管信息", tags: 15, mean: 0.009, min: 0, max: 0.05, emptyTags: 2),
            ],
            changes: changes ?? c, tagNames: ["abnormal.listed": .init(zh: "列入经营异常名录", en: "On the abnormal list & <more>")])
    }

    @Test func textFromDataIsEscapedEverywhere() throws {
        let page = ReportPage(report: try Self.report()).html()
        #expect(!page.contains("<script"))
        #expect(!page.contains("alert(\"x\")"))
        #expect(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39; \u{FFFD}"))
        #expect(page.contains("/data/&lt;nightly&gt;"))
        #expect(page.contains("columns not in the schema: &lt;b&gt;"))
        #expect(page.contains("On the abnormal list &amp; &lt;more&gt;"))
        #expect(!page.contains("\u{1}"))
    }

    @Test func thePageNeedsNothingOutsideItself() throws {
        let page = ReportPage(report: try Self.report()).html()
        for forbidden in ["http://", "https://", "src=", "<link", "<script", "url(", "@import", "<iframe", "<img"] {
            #expect(!page.lowercased().contains(forbidden), "\(forbidden)")
        }
        // The encoding is declared before any text, so Chinese names show correctly from a file:// URL.
        let head = try #require(page.range(of: "<head>\n<meta charset=\"utf-8\">"))
        #expect(page[..<head.lowerBound] == "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n")
        #expect(page.contains("<svg class=\"chart\""))
        #expect(page.hasSuffix("</html>\n"))
    }

    @Test func theTopSaysWhatHappened() throws {
        let page = ReportPage(report: try Self.report()).html()
        // A schema-drift warning turns the banner amber and is listed.
        #expect(page.contains("class=\"status warn\""))
        #expect(page.contains("<b id=\"enterprises\">1,234,567</b> enterprises"))
        #expect(page.contains("id=\"class-D\">4,567</b>"))
        #expect(page.contains("Since 2024-11-30: <b>2</b> enterprises changed class (1 ↑ to higher risk, 1 ↓ lower)"))
        #expect(page.contains("<b>1</b> newly on a watched list"))
        // The A → D move is the largest jump and is named.
        #expect(page.contains("Largest moves up: <code>91370102HANDMADE1C</code>"))
        #expect(page.contains("+15.0 pp"))
        // Stages in run order; an unknown stage after them.
        let stages = ["compile", "ingest", "derive", "write", "zzz"].map { page.range(of: "dominant-baseline=\"central\">\($0)</text>")!.lowerBound }
        #expect(stages == stages.sorted())
    }

    @Test func aCleanRunIsGreen() throws {
        var r = try Self.report()
        r.manifest.gates = [.init(gate: "max_reject_rate", source: "registration", passed: true, detail: "fine")]
        let page = ReportPage(report: r).html()
        #expect(page.contains("class=\"status ok\""))
        #expect(page.contains("all 1 data-quality gates passed"))
    }

    @Test func anAcceptedGateTurnsTheBannerAmberAndIsNamed() throws {
        var r = try Self.report()
        r.manifest.gates = [
            .init(gate: "max_reject_rate", source: "registration", passed: true, detail: "fine"),
            .init(
                gate: "enterprise_floor", source: "all sources", passed: false, detail: "700 enterprises, previous run 2024-12-30 had 1991",
                value: 700, limit: 996, accepted: .init(reason: "register <split>", by: "ops-wang")),
        ]
        let page = ReportPage(report: r).html()
        #expect(page.contains("class=\"status warn\""))
        #expect(page.contains("1 of 2 data-quality gates passed, 1 failed and accepted on the record"))
        #expect(
            page.contains(
                "<p class=\"warning accepted\">Gate accepted on the record: enterprise_floor [all sources] failed: "
                    + "700 enterprises, previous run 2024-12-30 had 1991; accepted by ops-wang: register &lt;split&gt;</p>"))
    }

    @Test func aRefusedRunIsRedAndSaysWhichGateFailedByHowMuch() throws {
        var r = try Self.report()
        r.published = false
        r.manifest.gates = [
            .init(gate: "max_reject_rate", source: "registration", passed: true, detail: "fine"),
            .init(gate: "min_rows_vs_previous", source: "complaints", passed: false, detail: "299 rows read, previous run 747 (at least 90% = 673 required)", value: 299, limit: 673),
        ]
        let page = ReportPage(report: r).html()
        #expect(page.contains("<div class=\"status fail\" id=\"status\">"))
        #expect(page.contains("✗ Not published 2024-12-31: 1 data-quality gate failed"))
        #expect(page.contains("<p class=\"failure\">min_rows_vs_previous [complaints]: 299 rows read, previous run 747 (at least 90% = 673 required)</p>"))
        #expect(!page.contains("max_reject_rate [registration]"), "only the gates that failed are in the banner")
        #expect(page.contains("— (not published)"))
        // No classes, cities or coverage: a refused run has none. Rows per source are what it read.
        for absent in ["id=\"class-counts\"", "id=\"cities\"", "id=\"coverage\"", "id=\"changes\""] { #expect(!page.contains(absent), "\(absent)") }
        #expect(page.contains("id=\"sources\""))
    }

    /// Stacked shares fill the plot exactly; `longest` bars are proportional to their totals.
    @Test func barLengthsAreProportional() throws {
        func widths(_ svg: String) -> [Double] {
            svg.components(separatedBy: "<rect ").dropFirst().map { r in
                let w = r.components(separatedBy: "width=\"")[1].prefix { $0 != "\"" }
                return Double(w)!
            }
        }
        let shares = ReportBarChart(
            caption: "c",
            bars: [
                .init(label: "济南市", segments: [.init(value: 3, colour: "#000", title: ""), .init(value: 1, colour: "#111", title: "")], note: "4"),
                .init(label: "x", segments: [.init(value: 10, colour: "#000", title: "")], note: "10"),
            ], scale: .shares
        ).svg()
        let w = widths(shares)
        #expect(w.count == 3)
        #expect(abs(w[0] + w[1] - w[2]) < 0.2)
        #expect(abs(w[0] / w[1] - 3) < 0.02)
        let longest = ReportBarChart(
            caption: "c",
            bars: [
                .init(label: "a", segments: [.init(value: 1000, colour: "#000", title: "")], note: ""),
                .init(label: "b", segments: [.init(value: 250, colour: "#000", title: ""), .init(value: 0, colour: "#f00", title: "")], note: ""),
            ], scale: .longest
        ).svg()
        let l = widths(longest)
        #expect(l.count == 2, "a zero segment draws nothing")
        #expect(abs(l[0] / l[1] - 4) < 0.01)
        // Room for the longest label: a Chinese label gets about twice the width of as many Latin letters.
        #expect(ReportMarkup.textWidth("济南市", fontSize: 10) == ReportMarkup.textWidth("abcdef", fontSize: 10))
    }

    @Test func numbersForPeople() {
        #expect(ReportMarkup.count(0) == "0")
        #expect(ReportMarkup.count(999) == "999")
        #expect(ReportMarkup.count(1000) == "1,000")
        #expect(ReportMarkup.count(1_234_567) == "1,234,567")
        #expect(ReportMarkup.count(-12_345) == "-12,345")
        #expect(ReportMarkup.percent(0) == "0.0%")
        #expect(ReportMarkup.percent(0.0001) == "<0.1%")
        #expect(ReportMarkup.percent(0.0682) == "6.8%")
        #expect(ReportMarkup.points(-0.031) == "-3.1 pp")
        #expect(ReportMarkup.seconds(3.456) == "3.46 s")
        #expect(ReportMarkup.seconds(42.04) == "42.0 s")
        #expect(ReportMarkup.seconds(119.6) == "2 min 00 s")
        #expect(HTMLText.attribute("a\"<b>") == "\"a&quot;&lt;b&gt;\"")
    }
}
