import Catalog
import Foundation
import Risk
import RunModel
import TestSupport
import Testing

/// The back-test and the fit on generated data whose truth is known (`generate --outcomes`): four yearly runs,
/// the inspections of the year after each.
///
/// 4,000 enterprises, made once for the suite (about 20 s of a debug build). Whether the fit beats the
/// hand-written scorecard on the held-out year depends on the size of the world and on the seed at every size
/// `make test` can afford (10,000 enterprises: one seed of three): `scripts/model-size-study.sh` measures it,
/// docs/model.md has the numbers. What this suite asks is what holds at this size.
@Suite(.serialized) struct GeneratedBackTestTests {
    static let enterprises = "4000"
    static let asOfDates = ["2020-12-31", "2021-12-31", "2022-12-31", "2023-12-31"]

    /// The data and runs, made once for the suite.
    static let world: Result<(input: String, runs: String), any Error> = Result {
        let dir = TestPaths.temporaryDirectory("model-world")
        let input = dir + "/input"
        let g = try ProcessRunner.run(
            ProcessRunner.digitag, ["generate", "--enterprises", enterprises, "--seed", "7", "--out", input, "--outcomes"])
        guard g.status == 0 else { throw Failure(description: "generate failed: \(g.stderr)") }
        let runs = dir + "/runs"
        for asOf in asOfDates {
            let r = try ProcessRunner.run(
                ProcessRunner.digitag,
                ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", input, "--as-of", asOf, "--out", runs])
            guard r.status == 0 else { throw Failure(description: "run \(asOf) failed (\(r.status)): \(r.stderr)") }
        }
        return (input, runs)
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    static func digitag(_ arguments: [String]) throws -> String {
        let r = try ProcessRunner.run(ProcessRunner.digitag, arguments)
        guard r.status == 0 else { throw Failure(description: "digitag \(arguments.joined(separator: " ")) → \(r.status): \(r.stderr)") }
        return r.stdout
    }

    /// Rows of a CSV file without quoted commas (the files read here have none in the columns used).
    static func csv(_ path: String) -> [[String: String]] {
        var text = TestPaths.read(path)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let header = lines.first else { return [] }
        return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    @Test func classRatesMatchTheGeneratingProbabilities() throws {
        let (input, runs) = try Self.world.get()
        let json = try Self.digitag(["model", "report", "--runs", runs, "--format", "json"])
        let report = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let pooled = report["pooled_random"] as! [String: Any]
        let byClass = pooled["by_class"] as! [[String: Any]]

        // The expectation, computed here from the files alone: each random visit's generating probability
        // (latent.csv), by the class of the run before it.
        var latent: [String: (p: Double, dormantFrom: String, dormant: Double)] = [:]
        for r in Self.csv(input + "/outcomes/latent.csv") {
            latent[r["uscc"]!] = (Double(r["random_visit_problem_probability"]!)!, r["dormant_from"]!, Double(r["dormant_visit_problem_probability"]!)!)
        }
        var visits = Set<String>()
        for r in Self.csv(input + "/market/inspections.csv") where r["random"] == "Y" {
            visits.insert(r["uscc"]! + "," + r["inspected_on"]!)
        }
        var expectedSum: [String: Double] = [:]
        var count: [String: Int] = [:]
        for (i, asOf) in Self.asOfDates.enumerated() {
            let end = String(Int(asOf.prefix(4))! + 1) + "-12-31"
            _ = i
            var classOf: [String: String] = [:]
            for r in Self.csv(runs + "/" + asOf + "/classes.csv") { classOf[r["uscc"]!] = r["class"]! }
            for v in visits {
                let parts = v.split(separator: ",").map(String.init)
                guard parts[1] > asOf, parts[1] <= end, let c = classOf[parts[0]], let truth = latent[parts[0]] else { continue }
                let dormant = !truth.dormantFrom.isEmpty && parts[1] >= truth.dormantFrom
                expectedSum[c, default: 0] += dormant ? truth.dormant : truth.p
                count[c, default: 0] += 1
            }
        }
        var rates: [String: Double] = [:]
        for row in byClass {
            let c = row["key"] as! String
            let units = row["units"] as! Int
            #expect(units == count[c, default: 0], "class \(c): the report's random inspections differ from the files'")
            guard units > 0 else { continue }
            let rate = row["rate"] as! [String: Any]
            let expected = expectedSum[c]! / Double(units)
            let lower = rate["lower"] as! Double
            let upper = rate["upper"] as! Double
            #expect(lower <= expected && expected <= upper, "class \(c): generating probability \(expected) outside [\(lower), \(upper)]")
            rates[c] = rate["rate"] as? Double
        }
        // The classes find problems in order, D far more often than A.
        #expect(rates["A"]! < rates["B"]! && rates["B"]! < rates["D"]!)
        #expect(rates["D"]! > 2 * rates["A"]!)
        let auc = (pooled["auc"] as! [String: Any])["estimate"] as! Double
        #expect(auc > 0.6)
    }

    @Test func fitRanksRiskDrivenTagsFirstAndHoldsUpOnTheHeldOutYear() throws {
        let (_, runs) = try Self.world.get()
        let out = TestPaths.temporaryDirectory("model-fit") + "/proposed-risk.yaml"
        let json = try Self.digitag(["model", "fit", "--runs", runs, "--out", out, "--format", "json"])
        let fit = try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
        let candidates = fit["candidates"] as! [[String: Any]]
        // Registration attributes the generator draws independently of the latent risk carry no signal; the
        // strongest candidates are records the risk drives.
        let neutral = ["basic.industry", "basic.entity_type", "basic.capital", "region.", "basic.age"]
        let top = candidates.prefix(10).map { $0["tag"] as! String }
        for t in top { #expect(!neutral.contains { t.hasPrefix($0) }, "a risk-neutral tag among the strongest: \(t) in \(top)") }
        let selected = candidates.filter { ($0["status"] as! String) == "selected" }.map { $0["tag"] as! String }
        #expect(selected.count >= 3)
        // The strongest terms are records the risk drives; with many terms a weak registration attribute may
        // come in last (its noise looks like signal on a few hundred inspections), never among the first eight.
        for t in selected.prefix(8) { #expect(!neutral.contains { t.hasPrefix($0) }, "a risk-neutral tag among the first selected: \(t)") }

        // On 4000 enterprises the held-out year has about 165 random inspections (the AUC known to about ±0.09)
        // and the training years 460: the fit must rank clearly better than chance and not significantly worse
        // than the current model (its interval reaches the current estimate).
        let current = (fit["current"] as! [String: Any])["auc"] as! [String: Any]
        let proposed = (fit["proposed"] as! [String: Any])["auc"] as! [String: Any]
        #expect(proposed["estimate"] as! Double > 0.6)
        #expect(proposed["upper"] as! Double >= current["estimate"] as! Double, "held-out AUC: proposed \(proposed), current \(current)")

        // The proposed classes hold nearly the current shares (cut-offs nearest them on the last training run).
        let currentShares = (fit["current"] as! [String: Any])["class_shares"] as! [Double]
        let proposedShares = (fit["proposed"] as! [String: Any])["class_shares"] as! [Double]
        for (c, p) in zip(currentShares, proposedShares) { #expect(abs(c - p) < 0.07, "class shares: current \(currentShares), proposed \(proposedShares)") }

        // The proposal is a valid risk model for the same catalog, with the same hard rules.
        let definition = try PipelineDefinition.load(TestPaths.repo("Pipelines/shandong.yaml"))
        let model = try RiskModelLoader.load(path: out, catalog: definition.catalog)
        #expect(model.hardRules.map(\.id) == definition.risk.hardRules.map(\.id))
        #expect(model.classes.map(\.code) == ["A", "B", "C", "D"])
        #expect(model.entries.count == selected.count)
        #expect(TestPaths.read(out).hasPrefix("# PROPOSED"))
    }

    @Test func fitRefusesToOverwriteALiveModel() throws {
        let (_, runs) = try Self.world.get()
        let dir = TestPaths.temporaryDirectory("model-live")
        let live = TestPaths.write(TestPaths.read(TestPaths.repo("Pipelines/risk.yaml")), to: dir, "risk.yaml")
        let r = try ProcessRunner.run(ProcessRunner.digitag, ["model", "fit", "--runs", runs, "--out", live])
        #expect(r.status == 3)
        #expect(r.stderr.contains("never overwrites a live model"))
        #expect(TestPaths.read(live) == TestPaths.read(TestPaths.repo("Pipelines/risk.yaml")))
    }
}
