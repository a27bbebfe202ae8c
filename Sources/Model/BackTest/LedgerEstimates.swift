import DigiTagBase
import DigiTagIO
import Engine
import Inspection

/// Province-wide problem rates from the draws' ledgers: each drawn enterprise with a result stands for 1/π
/// enterprises of its run, π its inclusion probability (Horvitz–Thompson, ratio form).
///
/// Only the random part of a draw enters: an enterprise drawn with certainty (π = 1, a 100% group) was chosen,
/// not sampled, and one not drawn has no result. A drawn enterprise counts as a problem when any of its random
/// inspections in the window after the draw's run found one; one with no inspection yet is left out (the
/// estimate then assumes the missing results are like the others in their class).
public enum LedgerEstimates {
    public static func estimate(
        samples: [String], runs: [RunScores], visits: [InspectionVisit], windowMonths: Int
    ) throws -> [BackTestReport.WeightedEstimate] {
        var byUSCC: [String: [InspectionVisit]] = [:]
        for v in visits where v.random { byUSCC[v.uscc, default: []].append(v) }
        var outcomes: [String: [Bool]] = [:]
        var probabilities: [String: [Double]] = [:]
        var allOutcomes: [Bool] = []
        var allProbabilities: [Double] = []
        let classCodes = runs.last?.classCodes ?? []
        for sample in samples {
            let audit = try SampleAudit.read(FileSystem.join(sample, "audit.json"))
            guard let asOf = Day(iso: audit.run.asOf), let run = runs.first(where: { $0.asOf == asOf }) else {
                throw InputError(
                    file: FileSystem.join(sample, "audit.json"),
                    message: "the draw was made from the run as of \(audit.run.asOf), which is not among --runs")
            }
            let end = BackTestJoin.windowEnd(asOf, months: windowMonths)
            let path = FileSystem.join(sample, "ledger.csv")
            var fields: [Int] = []
            try CSVReader(path: path).read(
                onRow: { row in
                    if fields.isEmpty {
                        let names = row.strings
                        for c in ["uscc", "probability", "drawn"] {
                            guard let i = names.firstIndex(of: c) else { throw InputError(file: path, line: row.line, message: "no column '\(c)'") }
                            fields.append(i)
                        }
                        return
                    }
                    guard row.string(fields[2]) == "1" else { return }
                    guard let p = Double(row.string(fields[1])) else {
                        throw InputError(file: path, line: row.line, message: "probability is not a number: '\(row.string(fields[1]))'")
                    }
                    guard p > 0 && p < 1 else { return }
                    let uscc = row.string(fields[0])
                    let found = (byUSCC[uscc] ?? []).filter { $0.day > asOf && $0.day <= end }
                    guard !found.isEmpty, let r = run.rowOf[uscc] else { return }
                    let problem = found.contains { $0.problem }
                    let key = run.classCodes[run.classes[r]]
                    outcomes[key, default: []].append(problem)
                    probabilities[key, default: []].append(p)
                    allOutcomes.append(problem)
                    allProbabilities.append(p)
                },
                onSyntaxProblem: { p in throw InputError(file: path, line: p.line, message: p.message) })
        }
        var estimates: [BackTestReport.WeightedEstimate] = []
        for c in classCodes {
            if let o = outcomes[c], let e = HorvitzThompson.estimate(outcomes: o, probabilities: probabilities[c]!) {
                estimates.append(.init(key: c, estimate: e))
            }
        }
        if let e = HorvitzThompson.estimate(outcomes: allOutcomes, probabilities: allProbabilities) {
            estimates.append(.init(key: "全省 province", estimate: e))
        }
        return estimates
    }
}
