import DigiTagIO
import Foundation

extension ScorecardFit {
    /// The fit for a terminal: the candidates, the selected terms, the held-out comparison.
    public func text(candidateRows: Int = 20) -> String {
        var out: [String] = []
        out.append("评分卡拟合 Scorecard fit (logistic regression on WoE, L2 λ = \(ProposedRiskFile.f(options.lambda, 2)), \(ProposedRiskFile.f(options.pointsToDoubleOdds, 0)) points double the odds)")
        out.append(
            "训练 Training: runs \(training.runs.joined(separator: ", ")) — \(training.inspections) random inspections, \(training.problems) problems")
        out.append(
            "留出 Held out: runs \(holdout.runs.joined(separator: ", ")) — \(holdout.inspections) random inspections, \(holdout.problems) problems")
        if let selection {
            let best = selection.trials.first { $0.terms == options.maxTerms && $0.lambda == options.lambda }
            out.append(
                "选择 Chosen on an inner time split (fitted on \(selection.fittedOn.joined(separator: ", ")), validated on \(selection.validatedOn)): "
                    + "\(options.maxTerms) terms at most, λ = \(ProposedRiskFile.f(options.lambda, 2))"
                    + (best.map { " (AUC \(ProposedRiskFile.f($0.auc, 3)) of \(selection.trials.count) tried)" } ?? ""))
        }
        out.append("")
        out.append("候选标签 Candidate tags by information value (top \(min(candidateRows, candidates.count)) of \(candidates.count)):")
        let rows = candidates.prefix(candidateRows).map { c -> [String] in
            [
                c.tag, ProposedRiskFile.f(c.informationValue, 3), String(c.binning.bins.count),
                c.coefficient.map { ProposedRiskFile.f($0, 3) } ?? "-", c.selected ? "选用 " + c.status : c.status,
            ]
        }
        out.append(TextTable(header: ["标签 tag", "IV", "分箱 bins", "系数 coef.", "结果 status"], rows: rows, numericColumns: [1, 2, 3]).text())
        out.append("")
        out.append("拟议分数线 Proposed cut-offs: " + zip(classes, cutoffs).map { "\($0) ≥ \(ProposedRiskFile.f($1, 0))" }.joined(separator: ", "))
        if !hardRulesNotApplied.isEmpty {
            out.append("(hard rules not applied in the comparison: \(hardRulesNotApplied.joined(separator: ", ")))")
        }
        out.append("")
        out.append("留出期比较 Held-out comparison (random inspections after \(holdout.runs.joined(separator: ", "))):")
        var comparison: [[String]] = [
            ["AUC [95% CI]", BackTestReport.auc(current.auc), BackTestReport.auc(proposed.auc)],
            ["KS", BackTestReport.number(current.ks, digits: 3), BackTestReport.number(proposed.ks, digits: 3)],
        ]
        for (i, code) in classes.enumerated() {
            comparison.append([
                "\(code) 发现率 problem rate", Self.rate(current.byClass[i]), Self.rate(proposed.byClass[i]),
            ])
        }
        for (i, code) in classes.enumerated() {
            comparison.append([
                "\(code) 企业占比 share", BackTestReport.percent(current.classShares[i]), BackTestReport.percent(proposed.classShares[i]),
            ])
        }
        out.append(TextTable(header: ["指标 measure", "现行 current", "拟议 proposed"], rows: comparison, numericColumns: [1, 2]).text())
        out.append("")
        out.append("校准 Calibration of the fitted probability on the held-out inspections (decile 1 = highest predicted):")
        out.append(
            TextTable(
                header: ["十分位 decile", "抽查 inspections", "预测 predicted", "实际 found", "95% 区间 interval"],
                rows: calibration.map { r in
                    [
                        r.key, String(r.units), BackTestReport.percent(r.meanScore), BackTestReport.percent(r.rate.rate),
                        "\(BackTestReport.percent(r.rate.lower))–\(BackTestReport.percent(r.rate.upper))",
                    ]
                }, numericColumns: [1, 2, 3, 4]
            ).text())
        return out.joined(separator: "\n") + "\n"
    }

    static func rate(_ r: RateRow) -> String {
        r.units == 0 ? "- (0)" : "\(BackTestReport.percent(r.rate.rate)) (\(r.positives)/\(r.units))"
    }

    public func json() throws -> String {
        try ModelJSON.encode(self)
    }
}
