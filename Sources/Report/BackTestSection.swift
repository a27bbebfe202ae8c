import DigiTagBase
import DigiTagIO
import Foundation
import Model

/// The back-test section of `report.html` and of the web dashboard: does the risk model find the problems?
///
/// From a run's `PublishedBackTest` (`backtest.json`: the published runs before this one against the inspections that followed
/// them): the problem-discovery rate of random inspections per class with its 95% Wilson interval, drawn as
/// bars with interval whiskers; the lift per score decile; the ROC curve with the AUC. Inline SVG, no script.
/// When there is nothing to back-test the section says why. The numbers are `digitag model report --run …`'s
/// for the same runs (`pooled_random` in its JSON).
public struct BackTestSection: Sendable {
    public var backTest: PublishedBackTest

    public init(_ backTest: PublishedBackTest) { self.backTest = backTest }

    static let classColours = ["#2e7d32", "#9bbb3b", "#f0a020", "#c62828", "#6a1b9a"]
    static let liftColour = "#1e6bb8"

    private func t(_ s: String) -> String { HTMLText.escape(s) }
    private func pct(_ x: Double) -> String { x.isNaN ? "-" : String(format: "%.1f%%", x * 100) }
    private func num(_ x: Double, _ digits: Int) -> String { x.isNaN ? "-" : String(format: "%.\(digits)f", x) }

    /// The section, `<section id="backtest">…</section>`.
    public func html() -> String {
        var out = "<section id=\"backtest\">\n<h2>风险分类回测 Does the risk model find the problems? (back-test)</h2>\n"
        guard let report = backTest.report else {
            let why = backTest.absentReason ?? ""
            return out + "<p class=\"note\" id=\"backtest-absent\">无回测 No back-test: \(t(why))</p>\n</section>\n"
        }
        let runs = backTest.runs
        let c = report.pooledRandom
        out += "<p class=\"note\">双随机抽查 Random inspections in the \(report.windowMonths) months after the runs \(t(runs.joined(separator: ", "))) "
        out += "(only random inspections estimate a class's rate without bias; targeted checks are left out). "
        out += "Full detail: <code>digitag model report --run \(t(runs.last ?? ""))</code>.</p>\n"
        out += "<p id=\"backtest-headline\">总体发现率 overall problem rate <b>\(pct(c.rate.rate))</b> (\(c.problems)/\(c.inspections), \(pct(c.rate.lower))–\(pct(c.rate.upper)))"
        out += " · AUC <b>\(num(c.auc.estimate, 3))</b> [\(num(c.auc.lower, 3))–\(num(c.auc.upper, 3))] · KS \(num(c.ks, 2))"
        if let ratio = c.highestOverLowest, let hi = c.byClass.last, let lo = c.byClass.first {
            out += " · \(t(hi.key)) 类发现率是 \(t(lo.key)) 类的 \(num(ratio, 1)) 倍 (class \(t(hi.key)) finds problems \(num(ratio, 1))× as often as class \(t(lo.key)))"
        }
        out += "</p>\n"
        out += "<div class=\"backtest-charts\">\n" + rateChart(c.byClass) + liftChart(c.byDecile) + rocChart(c.roc, auc: c.auc.estimate) + "</div>\n"
        out += "<table id=\"backtest-classes\">\n<tr><th>类别 class</th><th>抽查 inspections</th><th>问题 problems</th><th>发现率 rate</th>"
        out += "<th>95% 区间 interval</th><th>提升 lift</th><th>平均分 mean score</th></tr>\n"
        for r in c.byClass { out += row(r, id: "backtest-class-") }
        out += "</table>\n"
        out += "<table id=\"backtest-deciles\">\n<tr><th>分数十分位 score decile (1 = highest)</th><th>抽查 inspections</th><th>问题 problems</th><th>发现率 rate</th>"
        out += "<th>95% 区间 interval</th><th>提升 lift</th><th>平均分 mean score</th></tr>\n"
        for r in c.byDecile { out += row(r, id: "backtest-decile-") }
        return out + "</table>\n</section>\n"
    }

    func row(_ r: RateRow, id: String) -> String {
        "<tr id=\"\(t(id + r.key))\"><td>\(t(r.key))</td><td class=\"num\">\(r.units)</td><td class=\"num\">\(r.positives)</td>"
            + "<td class=\"num\">\(pct(r.rate.rate))</td><td class=\"num\">\(pct(r.rate.lower))–\(pct(r.rate.upper))</td>"
            + "<td class=\"num\">\(num(r.lift, 2))</td><td class=\"num\">\(num(r.meanScore, 1))</td></tr>\n"
    }

    // MARK: charts

    /// Vertical bars of each class's rate, with the Wilson interval as a whisker; 0–100% axis.
    func rateChart(_ rows: [RateRow]) -> String {
        let (w, h, left, top, bottom) = (300.0, 220.0, 40.0, 24.0, 36.0)
        let plotH = h - top - bottom
        let slot = (w - left - 10) / Double(max(1, rows.count))
        func y(_ v: Double) -> Double { top + plotH * (1 - min(1, max(0, v))) }
        var out = svgOpen(w, h, caption: "发现率 Problem rate by class, random inspections, with 95% Wilson intervals")
        out += axis(left: left, right: w - 10, y: y)
        for (i, r) in rows.enumerated() where r.units > 0 {
            let x = left + slot * Double(i) + slot * 0.2
            let bw = slot * 0.6
            let colour = Self.classColours[min(i, Self.classColours.count - 1)]
            out += "<rect x=\"\(n(x))\" y=\"\(n(y(r.rate.rate)))\" width=\"\(n(bw))\" height=\"\(n(y(0) - y(r.rate.rate)))\" fill=\"\(colour)\">"
            out += "<title>\(t(r.key)): \(r.positives)/\(r.units) = \(pct(r.rate.rate)) [\(pct(r.rate.lower))–\(pct(r.rate.upper))]</title></rect>"
            let cx = x + bw / 2
            out += "<line x1=\"\(n(cx))\" y1=\"\(n(y(r.rate.lower)))\" x2=\"\(n(cx))\" y2=\"\(n(y(r.rate.upper)))\" stroke=\"#222\" stroke-width=\"1.5\"/>"
            for v in [r.rate.lower, r.rate.upper] {
                out += "<line x1=\"\(n(cx - 5))\" y1=\"\(n(y(v)))\" x2=\"\(n(cx + 5))\" y2=\"\(n(y(v)))\" stroke=\"#222\" stroke-width=\"1.5\"/>"
            }
            out += "<text x=\"\(n(cx))\" y=\"\(n(h - bottom + 14))\" font-size=\"12\" text-anchor=\"middle\">\(t(r.key))</text>"
            out += "<text x=\"\(n(cx))\" y=\"\(n(h - bottom + 28))\" font-size=\"10\" fill=\"#555\" text-anchor=\"middle\">\(pct(r.rate.rate))</text>"
        }
        return out + "</svg>\n"
    }

    /// The lift of each score decile (decile 1 the highest scores) as bars, with the line of no lift at 1.
    func liftChart(_ rows: [RateRow]) -> String {
        let (w, h, left, top, bottom) = (300.0, 220.0, 40.0, 24.0, 36.0)
        let plotH = h - top - bottom
        let lifts = rows.map { $0.lift.isNaN ? 0 : $0.lift }
        let ceiling = max(2, (lifts.max() ?? 1).rounded(.up))
        func y(_ v: Double) -> Double { top + plotH * (1 - min(ceiling, max(0, v)) / ceiling) }
        let slot = (w - left - 10) / Double(max(1, rows.count))
        var out = svgOpen(w, h, caption: "提升 Lift by score decile (1 = highest scores): problem rate over the overall rate")
        for v in stride(from: 0.0, through: ceiling, by: ceiling > 4 ? 1 : 0.5) {
            out += "<line x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(w - 10))\" y2=\"\(n(y(v)))\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(n(left - 4))\" y=\"\(n(y(v)))\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\" dominant-baseline=\"central\">\(num(v, 1))</text>"
        }
        for (i, r) in rows.enumerated() {
            let x = left + slot * Double(i) + slot * 0.15
            out += "<rect x=\"\(n(x))\" y=\"\(n(y(lifts[i])))\" width=\"\(n(slot * 0.7))\" height=\"\(n(y(0) - y(lifts[i])))\" fill=\"\(Self.liftColour)\">"
            out += "<title>decile \(t(r.key)): \(r.positives)/\(r.units) = \(pct(r.rate.rate)), lift \(num(r.lift, 2))</title></rect>"
            out += "<text x=\"\(n(x + slot * 0.35))\" y=\"\(n(h - bottom + 14))\" font-size=\"11\" text-anchor=\"middle\">\(t(r.key))</text>"
        }
        out += "<line x1=\"\(n(left))\" y1=\"\(n(y(1)))\" x2=\"\(n(w - 10))\" y2=\"\(n(y(1)))\" stroke=\"#c62828\" stroke-dasharray=\"4 3\"/>"
        out += "<text x=\"\(n((left + w) / 2))\" y=\"\(n(h - 6))\" font-size=\"11\" fill=\"#555\" text-anchor=\"middle\">十分位 decile</text>"
        return out + "</svg>\n"
    }

    /// The ROC curve (false-positive rate across, true-positive rate up) with the diagonal of chance.
    func rocChart(_ points: [[Double]], auc: Double) -> String {
        let (w, h, left, top, bottom) = (240.0, 220.0, 40.0, 24.0, 36.0)
        let side = min(w - left - 10, h - top - bottom)
        func x(_ v: Double) -> Double { left + side * v }
        func y(_ v: Double) -> Double { top + side * (1 - v) }
        var out = svgOpen(w, h, caption: "ROC 曲线 ROC curve of the score, random inspections: AUC \(num(auc, 3))")
        out += "<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(side))\" height=\"\(n(side))\" fill=\"none\" stroke=\"#ccc\"/>"
        out += "<line x1=\"\(n(x(0)))\" y1=\"\(n(y(0)))\" x2=\"\(n(x(1)))\" y2=\"\(n(y(1)))\" stroke=\"#999\" stroke-dasharray=\"4 3\"/>"
        let path = points.filter { $0.count == 2 }.map { "\(n(x($0[0]))),\(n(y($0[1])))" }.joined(separator: " ")
        out += "<polyline points=\"\(path)\" fill=\"none\" stroke=\"\(Self.liftColour)\" stroke-width=\"2\"><title>AUC \(num(auc, 3))</title></polyline>"
        for v in [0.0, 0.5, 1.0] {
            out += "<text x=\"\(n(x(v)))\" y=\"\(n(y(0) + 13))\" font-size=\"10\" fill=\"#666\" text-anchor=\"middle\">\(num(v, 1))</text>"
            out += "<text x=\"\(n(left - 4))\" y=\"\(n(y(v)))\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\" dominant-baseline=\"central\">\(num(v, 1))</text>"
        }
        out += "<text x=\"\(n(x(0.5)))\" y=\"\(n(h - 6))\" font-size=\"11\" fill=\"#555\" text-anchor=\"middle\">误报率 false-positive rate</text>"
        out += "<text x=\"\(n(x(0.6)))\" y=\"\(n(y(0.2)))\" font-size=\"12\" text-anchor=\"middle\">AUC \(num(auc, 3))</text>"
        return out + "</svg>\n"
    }

    func svgOpen(_ w: Double, _ h: Double, caption: String) -> String {
        "<svg class=\"chart backtest\" viewBox=\"0 0 \(n(w)) \(n(h))\" width=\"\(n(w))\" height=\"\(n(h))\" role=\"img\" aria-label=\(HTMLText.attribute(caption))>"
            + "<title>\(t(caption))</title>"
            + "<text x=\"4\" y=\"14\" font-size=\"12\" font-weight=\"bold\">\(t(caption.components(separatedBy: ":").first ?? caption))</text>"
    }

    func axis(left: Double, right: Double, y: (Double) -> Double) -> String {
        var out = ""
        for q in 0...4 {
            let v = Double(q) / 4
            out += "<line x1=\"\(n(left))\" y1=\"\(n(y(v)))\" x2=\"\(n(right))\" y2=\"\(n(y(v)))\" stroke=\"#ddd\"/>"
            out += "<text x=\"\(n(left - 4))\" y=\"\(n(y(v)))\" font-size=\"10\" fill=\"#666\" text-anchor=\"end\" dominant-baseline=\"central\">\(q * 25)%</text>"
        }
        return out
    }

    /// Coordinates with at most one decimal: short, and the same bytes on every machine.
    private func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }
}
