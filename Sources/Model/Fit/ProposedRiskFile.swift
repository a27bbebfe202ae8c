import Foundation
import Risk

/// Writes a fit as a risk-model file in the format of `Pipelines/risk.yaml`: the same classes with proposed
/// cut-offs, one scorecard entry per selected tag (commented with its IV, coefficient and bins), and the
/// current model's hard rules unchanged (legal floors stay rules; the fit only proposes points).
public enum ProposedRiskFile {
    /// The first line of every proposal: the command refuses to overwrite a file that does not start with it.
    public static let marker = "# PROPOSED credit-risk model"

    public static func text(_ fit: ScorecardFit, current: RiskModel, generatedFrom: String) -> String {
        var out: [String] = []
        out.append(marker + ", fitted by `digitag model fit` — not the live model.")
        out.append("# An operator adopts it by copying it over the pipeline's risk.yaml; the next run's manifest records it.")
        out.append("# Fitted from \(generatedFrom); trained on the random inspections after runs \(fit.training.runs.joined(separator: ", "))")
        out.append(
            "# (\(fit.training.inspections) inspections, \(fit.training.problems) problems), held out: \(fit.holdout.runs.joined(separator: ", ")) "
                + "(\(fit.holdout.inspections) inspections, \(fit.holdout.problems) problems).")
        out.append(
            "# Held-out AUC: current \(f(fit.current.auc.estimate, 3)), proposed \(f(fit.proposed.auc.estimate, 3)); KS: current \(f(fit.current.ks, 3)), proposed \(f(fit.proposed.ks, 3)).")
        out.append(
            "# Points: \(f(fit.options.pointsToDoubleOdds, 0)) points double the odds of a problem; intercept (log-odds at 0 points) \(f(fit.intercept, 3)).")
        out.append("model: \(current.name)-proposed")
        out.append("version: \(current.version + 1)")
        out.append("reasons: \(current.reasonCount)")
        out.append("")
        out.append("classes:")
        for (i, c) in current.classes.enumerated() {
            out.append("  - {class: \(c.code), name_zh: \(c.nameZh), name_en: \(c.nameEn), min_score: \(f(fit.cutoffs[i], 0))}")
        }
        out.append("")
        out.append("scorecard:")
        for c in fit.selected {
            out.append("  # IV \(f(c.informationValue, 3)); coefficient \(f(c.coefficient ?? .nan, 3)); bins (training inspections, problems, WoE):")
            for (b, bin) in c.binning.bins.enumerated() {
                out.append("  #   \(label(c, b)): \(bin.count), \(bin.positives), \(f(bin.woe, 3)) → \(f(c.points[b], 0)) points")
            }
            switch c.kind {
            case .bool:
                let p = c.points[c.binning.binIndex(1) ?? c.referenceBin]
                out.append("  - {tag: \(c.tag), points: \(f(p, 0))}")
            case .number:
                out.append("  - tag: \(c.tag)")
                out.append("    ranges:")
                var wrote = false
                for (b, bin) in c.binning.bins.enumerated() where c.points[b] != 0 && !bin.missing {
                    var parts: [String] = []
                    if b > 0 { parts.append("min: \(number(bin.min))") }
                    if bin.below.isFinite { parts.append("below: \(number(bin.below))") }
                    parts.append("points: \(f(c.points[b], 0))")
                    out.append("      - {\(parts.joined(separator: ", "))}")
                    wrote = true
                }
                if !wrote { out.append("      - {points: 0}") }
            case .category:
                var pairs: [String] = []
                for (b, bin) in c.binning.bins.enumerated() where c.points[b] != 0 && !bin.missing {
                    for v in bin.value.map({ [$0] }) ?? bin.members { pairs.append("\(quoted(v)): \(f(c.points[b], 0))") }
                }
                out.append("  - tag: \(c.tag)")
                out.append("    values: {\(pairs.joined(separator: ", "))}")
            }
        }
        if !current.hardRules.isEmpty {
            out.append("")
            out.append("hard_rules:")
            for r in current.hardRules {
                out.append("  - id: \(r.id)")
                out.append("    when: \(quoted(r.conditionText))")
                if let lo = r.atLeast { out.append("    at_least: \(current.classes[lo].code)") }
                if let hi = r.atMost { out.append("    at_most: \(current.classes[hi].code)") }
                out.append("    reason_zh: \(quoted(r.nameZh))")
                out.append("    reason_en: \(quoted(r.nameEn))")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// How a bin reads in a comment: `[1, 3)`, `>= 4`, `D`, `other (C, M)`.
    static func label(_ c: CandidateTag, _ b: Int) -> String {
        let bin = c.binning.bins[b]
        if bin.missing { return "missing" }
        if c.kind == .category { return bin.value ?? "other (\(bin.members.joined(separator: ", ")))" }
        if c.kind == .bool { return bin.min >= 1 ? "true" : "false" }
        if !bin.below.isFinite { return ">= \(number(bin.min))" }
        return "[\(number(bin.min)), \(number(bin.below)))"
    }

    static func number(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : String(format: "%.6g", x)
    }

    static func f(_ x: Double, _ digits: Int) -> String {
        if x.isNaN { return "-" }
        let s = String(format: "%.\(digits)f", x)
        return s == "-0" ? "0" : s
    }

    static func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "''") + "'" }
}
