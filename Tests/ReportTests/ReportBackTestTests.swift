import Foundation
import TestSupport
import Testing

/// The back-test section of `report.html` (and the run's `backtest.json`) against `digitag model report` for the
/// same runs and inspections: the numbers on the page are the command's.
@Suite struct ReportBackTestTests {
    /// The cells of the table row `id` in the page, tags stripped.
    static func cells(_ html: String, row id: String) -> [String]? {
        guard let start = html.range(of: "<tr id=\"\(id)\">"), let end = html[start.upperBound...].range(of: "</tr>") else { return nil }
        return html[start.upperBound..<end.lowerBound].components(separatedBy: "</td>").dropLast().map { cell in
            cell.replacingOccurrences(of: "<[^>]+>", with: "", options: .regularExpression)
        }
    }

    static func percent(_ x: Any?) -> String { String(format: "%.1f%%", (x as! Double) * 100) }

    static func modelReport(_ runs: [String]) throws -> [String: Any] {
        let r = try ProcessRunner.run(
            ProcessRunner.digitag,
            ["model", "report", "--runs", ReportFixture.out, "--input", TestPaths.repo("SampleData"), "--format", "json"] + runs.flatMap { ["--run", $0] })
        guard r.status == 0 else { throw Failure(description: "model report: \(r.status) \(r.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    @Test func theSecondRunBackTestsTheFirstWithTheCommandsNumbers() throws {
        let html = TestPaths.read(ReportFixture.second + "/report.html")
        #expect(html.contains("<section id=\"backtest\">"))
        #expect(!html.contains("backtest-absent"))
        // The runs before 2024-12-31: the first one only.
        let stored = try JSONSerialization.jsonObject(with: Data(TestPaths.read(ReportFixture.second + "/backtest.json").utf8)) as! [String: Any]
        #expect(stored["runs"] as? [String] == ["2024-06-30"])

        let json = try Self.modelReport(["2024-06-30"])
        let pooled = json["pooled_random"] as! [String: Any]
        let byClass = pooled["by_class"] as! [[String: Any]]
        #expect(byClass.map { $0["key"] as! String } == ["A", "B", "C", "D"])
        #expect(pooled["inspections"] as! Int > 0)
        var inspections = 0
        for row in byClass {
            let key = row["key"] as! String
            guard let cells = Self.cells(html, row: "backtest-class-" + key) else {
                Issue.record("no row for class \(key)")
                continue
            }
            let rate = row["rate"] as! [String: Any]
            #expect(cells[0] == key)
            #expect(cells[1] == String(row["units"] as! Int), "class \(key)")
            #expect(cells[2] == String(row["positives"] as! Int), "class \(key)")
            inspections += Int(cells[1])!
            guard (row["units"] as! Int) > 0 else { continue }
            #expect(cells[3] == Self.percent(rate["rate"]), "class \(key)")
            #expect(cells[4] == Self.percent(rate["lower"]) + "–" + Self.percent(rate["upper"]), "class \(key)")
        }
        #expect(inspections == pooled["inspections"] as! Int)
        for row in pooled["by_decile"] as! [[String: Any]] {
            let cells = Self.cells(html, row: "backtest-decile-" + (row["key"] as! String))
            #expect(cells?[1] == String(row["units"] as! Int))
            #expect(cells?[2] == String(row["positives"] as! Int))
            #expect(cells?[5] == String(format: "%.2f", row["lift"] as! Double))
        }
        let auc = pooled["auc"] as! [String: Any]
        #expect(html.contains("AUC <b>\(String(format: "%.3f", auc["estimate"] as! Double))</b>"))
        // The ROC curve: one polyline point per ROC point of the JSON.
        let roc = pooled["roc"] as! [[Double]]
        guard let polyline = html.range(of: "<polyline points=\""), let close = html[polyline.upperBound...].firstIndex(of: "\"") else {
            Issue.record("no ROC curve")
            return
        }
        #expect(html[polyline.upperBound..<close].split(separator: " ").count == roc.count)
    }

    @Test func theFirstRunSaysWhyItHasNoBackTest() {
        let html = TestPaths.read(ReportFixture.first + "/report.html")
        #expect(html.contains("<section id=\"backtest\">"))
        #expect(html.contains("id=\"backtest-absent\""))
        #expect(html.contains("no earlier published run to back-test"))
        #expect(!html.contains("<polyline"))
    }
}
