import Foundation
import TestSupport
import Testing

/// Horvitz–Thompson estimates from a real draw's ledger: SampleData run, the default task drawn, results
/// imported for 20 drawn enterprises, then `model report --samples`; the estimate recomputed here from the
/// ledger and the inspection files alone.
@Suite struct LedgerEstimateTests {
    struct Failure: Error, CustomStringConvertible { var description: String }

    @discardableResult
    static func digitag(_ arguments: [String], in dir: String) throws -> String {
        let r = try ProcessRunner.run(ProcessRunner.digitag, arguments, in: dir)
        guard r.status == 0 else { throw Failure(description: "digitag \(arguments.joined(separator: " ")) → \(r.status): \(r.stderr)") }
        return r.stdout
    }

    static func rows(_ path: String) -> [[String]] {
        var text = TestPaths.read(path)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return text.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    @Test func weightedEstimatesMatchTheLedger() throws {
        let dir = TestPaths.temporaryDirectory("model-ledger")
        try FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: dir + "/Pipelines")
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: dir + "/SampleData")
        try Self.digitag(["run", "--pipeline", "Pipelines/shandong.yaml", "--input", "SampleData", "--as-of", "2024-12-31", "--out", "runs"], in: dir)
        try Self.digitag(["sample", "--run", "runs/current"], in: dir)
        let sample = dir + "/samples/SD-2025-GEN-01"
        // ledger: uscc, group, stratum, weight, probability, drawn
        let drawn = Self.rows(sample + "/ledger.csv").filter { $0[5] == "1" && Double($0[4])! < 1 }
        let inspected = Array(drawn.prefix(20))
        var results = "uscc,item,inspected_on,completed_on,results\n"
        for (i, r) in inspected.enumerated() {
            results += "\(r[0]),annual_report,2025-03-10,2025-03-12,\(i % 3 == 2 ? "corrected" : "no_problem")\n"
        }
        TestPaths.write(results, to: dir, "results.csv")
        try Self.digitag(["results", "import", "samples/SD-2025-GEN-01", "--file", "results.csv"], in: dir)

        let json = try Self.digitag(
            ["model", "report", "--runs", "runs", "--input", "SampleData", "--samples", "samples/SD-2025-GEN-01", "--format", "json"], in: dir)
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let weighted = report["weighted"] as! [[String: Any]]

        // The truth from the files: a drawn enterprise found a problem when any random inspection in 2025 did
        // (the imported ones and SampleData's own); its class from the run; weight 1/π from the ledger.
        var problem: [String: Bool] = [:]
        for file in ["inspections.csv", "inspections-SD-2025-GEN-01.csv"] {
            for r in Self.rows(dir + "/SampleData/market/" + file) where r[3] == "Y" && r[1] > "2024-12-31" && r[1] <= "2025-12-31" {
                problem[r[0]] = (problem[r[0]] ?? false) || r[4] != "no_problem"
            }
        }
        var classOf: [String: String] = [:]
        for r in Self.rows(dir + "/runs/2024-12-31/classes.csv") { classOf[r[0]] = r[5] }
        var sums: [String: (total: Double, population: Double, n: Int)] = [:]
        for r in drawn {
            guard let y = problem[r[0]], let c = classOf[r[0]] else { continue }
            let w = 1 / Double(r[4])!
            for key in [c, "全省 province"] {
                var s = sums[key] ?? (0, 0, 0)
                s.total += y ? w : 0
                s.population += w
                s.n += 1
                sums[key] = s
            }
        }
        #expect(sums["全省 province"]!.n >= 20)
        #expect(weighted.count == sums.count)
        for w in weighted {
            let key = w["key"] as! String
            let estimate = w["estimate"] as! [String: Any]
            let s = try #require(sums[key], "no expectation for \(key)")
            #expect(estimate["sampled"] as! Int == s.n)
            #expect(abs((estimate["population"] as! Double) - s.population) < 1e-6)
            #expect(abs((estimate["rate"] as! Double) - s.total / s.population) < 1e-12)
        }
    }
}
