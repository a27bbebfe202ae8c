import DigiTagIO
import Foundation

extension BackTestReport {
    /// The report for a terminal: Chinese first, columns aligned.
    public func text(cities: Bool = true, industries: Bool = true) -> String {
        var out: [String] = []
        out.append("风险分类回测 Risk-model back-test (检查窗口 window: \(windowMonths) 个月 months after each run's as-of date)")
        out.append("")
        out.append("双随机抽查 Random inspections, all runs (unbiased per class) — 发现问题率 problem-discovery rate:")
        out.append(Self.headline(pooledRandom, classes: classes))
        out.append(Self.rateTable(pooledRandom.byClass, keyTitle: "类别 class").text())
        out.append("")
        out.append("按分数十分位 By score decile (1 = highest scores), random inspections:")
        out.append(Self.rateTable(pooledRandom.byDecile, keyTitle: "十分位 decile").text())
        out.append("")
        out.append(
            "定向检查 Targeted inspections (complaints, monitoring: chosen because a problem was suspected — not an estimate of a class's rate): "
                + "\(pooledTargeted.inspections) inspections, \(pooledTargeted.problems) problems, \(Self.interval(pooledTargeted.rate))")
        if pooledTargeted.inspections > 0 {
            out.append(Self.rateTable(pooledTargeted.byClass, keyTitle: "类别 class").text())
        }
        out.append("")
        out.append("各次运行 By run (random inspections):")
        var header = ["运行 run", "窗口至 window to", "企业 enterprises"]
        header += classes.map { "\($0) 占比 share" }
        header += ["抽查 inspections", "问题 problems", "发现率 rate", "AUC [95% CI]", "KS", "PSI 分数 score", "PSI 类别 class"]
        let rows = runs.map { r -> [String] in
            var row = [r.asOf, r.windowEnd, String(r.enterprises)]
            row += r.classShares.map { Self.percent($0) }
            row += [
                String(r.random.inspections), String(r.random.problems), Self.percent(r.random.rate.rate), Self.auc(r.random.auc),
                Self.number(r.random.ks), r.scorePSI.map(Self.number) ?? "-", r.classPSI.map(Self.number) ?? "-",
            ]
            return row
        }
        out.append(TextTable(header: header, rows: rows, numericColumns: Set(2..<header.count)).text())
        if !weighted.isEmpty {
            out.append("")
            out.append("按抽样设计加权 Province-wide estimates from the draws' ledgers (Horvitz–Thompson, random groups only):")
            let rows = weighted.map { w -> [String] in
                [
                    w.key, String(w.estimate.sampled), Self.number(w.estimate.population, digits: 0), Self.percent(w.estimate.rate),
                    Self.percent(w.estimate.standardError),
                ]
            }
            out.append(
                TextTable(
                    header: ["组 group", "抽中 sampled", "代表企业 population", "估计发现率 rate", "标准误 s.e."], rows: rows,
                    numericColumns: [1, 2, 3, 4]
                ).text())
        }
        if cities {
            out.append("")
            out.append("按城市 By city, random inspections:")
            out.append(Self.rateTable(pooledRandom.byCity, keyTitle: "城市 city").text())
        }
        if industries {
            out.append("")
            out.append("按行业门类 By industry section, random inspections:")
            out.append(Self.rateTable(pooledRandom.byIndustry, keyTitle: "行业 section").text())
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func headline(_ c: Channel, classes: [String]) -> String {
        var s = "  总体 overall \(c.problems)/\(c.inspections) = \(interval(c.rate)); AUC \(auc(c.auc)); KS \(number(c.ks))"
        if let ratio = c.highestOverLowest, let lo = classes.first, let hi = classes.last {
            s += "; \(hi) 类发现率是 \(lo) 类的 \(number(ratio, digits: 1)) 倍 (class \(hi) finds problems \(number(ratio, digits: 1))× as often as class \(lo))"
        }
        return s
    }

    static func rateTable(_ rows: [RateRow], keyTitle: String) -> TextTable {
        TextTable(
            header: [keyTitle, "抽查 inspections", "问题 problems", "发现率 rate", "95% 区间 interval", "提升 lift", "平均分 mean score"],
            rows: rows.map { r in
                [
                    r.key, String(r.units), String(r.positives), r.units > 0 ? percent(r.rate.rate) : "-",
                    "\(percent(r.rate.lower))–\(percent(r.rate.upper))", r.lift.isNaN ? "-" : number(r.lift),
                    r.meanScore.isNaN ? "-" : number(r.meanScore, digits: 1),
                ]
            }, numericColumns: [1, 2, 3, 4, 5, 6])
    }

    static func interval(_ w: WilsonInterval) -> String {
        w.rate.isNaN ? "-" : "\(percent(w.rate)) [\(percent(w.lower))–\(percent(w.upper))]"
    }

    static func auc(_ b: BootstrapInterval) -> String {
        b.estimate.isNaN ? "-" : "\(number(b.estimate, digits: 3)) [\(number(b.lower, digits: 3))–\(number(b.upper, digits: 3))]"
    }

    static func percent(_ x: Double) -> String { x.isNaN ? "-" : String(format: "%.1f%%", x * 100) }

    static func number(_ x: Double) -> String { number(x, digits: 2) }

    static func number(_ x: Double, digits: Int) -> String { x.isNaN ? "-" : String(format: "%.\(digits)f", x) }
}
