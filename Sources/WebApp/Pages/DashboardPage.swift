import DigiTagBase
import DigiTagIO
import Foundation
import Report

/// The dashboard: classes by area with bars, the run's sources, changes since the previous run, and the
/// trend of class shares over the retained runs (inline SVG); for the province, the back-test (report.html's
/// section).
enum DashboardPage {
    static func html(_ d: Dashboard, session: Session) -> String {
        let e = HTMLText.escape
        var body = "<h1>概览 Dashboard · \(e(d.scopeName)) <small>\(e(d.scope.code))</small></h1>"
        body += "<p class=\"note\">数据截至 as of \(e(d.asOf)) · \(d.total) 家企业 enterprises in your area</p>"

        body += "<h2>各类别企业数 Enterprises by class</h2><table><tr><th>\(d.scope.level == .province ? "市 City" : "县区 County")</th>"
        for c in d.classes { body += "<th class=\"num\">\(e(c.code)) \(e(c.nameZh))</th>" }
        body += "<th class=\"num\">合计 Total</th><th></th></tr>"
        let top = max(1, d.areas.map(\.total).max() ?? 1)
        for a in d.areas {
            body += "<tr><td>\(e(a.code)) \(e(a.name))</td>"
            for c in d.classes { body += "<td class=\"num\">\(a.counts[c.code] ?? 0)</td>" }
            body += "<td class=\"num\">\(a.total)</td><td><span class=\"bar\" style=\"width:\(a.total * 200 / top)px\"></span></td></tr>"
        }
        body += "</table>"

        body += "<h2>类别占比趋势 Class shares across the retained runs</h2>"
        body += trendChart(d)

        body += "<h2>较上次运行的变化 Changes since the previous run</h2>"
        if let from = d.changesFrom {
            let up = d.moves.filter(\.up).count
            body += "<p>对比 against \(e(from)): \(d.moves.count) 家类别变化 class changes in your area (↑ \(up) 风险升高 to higher risk, ↓ \(d.moves.count - up) 降低 lower)</p>"
            if !d.listings.isEmpty {
                body += "<table><tr><th>新列入 Newly listed</th><th class=\"num\">企业 enterprises</th></tr>"
                for l in d.listings { body += "<tr><td>\(e(l.tag))</td><td class=\"num\">\(l.count)</td></tr>" }
                body += "</table>"
            }
            if !d.moves.isEmpty {
                body += "<table><tr><th></th><th>统一社会信用代码 USCC</th><th>名称 Name</th><th>类别 Class</th></tr>"
                for m in d.moves.prefix(Dashboard.listLimit) {
                    body += "<tr><td>\(m.up ? "↑" : "↓")</td><td><a href=\"/enterprise/\(e(m.uscc))\">\(e(m.uscc))</a></td><td>\(e(m.name))</td><td>\(e(m.from)) → \(e(m.to))</td></tr>"
                }
                body += "</table>"
                if d.moves.count > Dashboard.listLimit { body += "<p class=\"note\">… \(d.moves.count - Dashboard.listLimit) more (API: /api/dashboard)</p>" }
            }
        } else {
            body += "<p class=\"note\">\(e(d.changesNote ?? ""))</p>"
        }

        if let backTest = d.backTest { body += BackTestSection(backTest).html() }

        body += "<h2>数据来源 Sources <small>(全省本次交付 the province's delivery for this run)</small></h2>"
        body += "<table><tr><th>来源 Source</th><th class=\"num\">读取 Read</th><th class=\"num\">接受 Accepted</th><th class=\"num\">拒绝 Rejected</th></tr>"
        for s in d.sources {
            body += "<tr><td>\(e(s.name))</td><td class=\"num\">\(s.read)</td><td class=\"num\">\(s.accepted)</td><td class=\"num\">\(s.rejected)</td></tr>"
        }
        body += "</table>"
        return HTML.page(title: "概览 Dashboard", session: session, body: body)
    }

    /// One line per class: its share of the scope's enterprises in each retained run.
    static func trendChart(_ d: Dashboard) -> String {
        let series = d.classes.enumerated().map { k, c in
            LineChart.Series(
                label: "\(c.code) \(c.nameZh)", colour: LineChart.colour(classIndex: k),
                points: d.trend.map { p -> (value: Double, title: String)? in
                    let n = p.counts[c.code] ?? 0
                    let share = p.total == 0 ? 0 : Double(n) / Double(p.total)
                    return (share, "\(c.code) \(p.asOf): \(n) / \(p.total) = \(String(format: "%.1f%%", share * 100))")
                })
        }
        let top = max(0.1, (series.flatMap { $0.points.compactMap { $0?.value } }.max() ?? 0.1))
        let ceiling = (top * 10).rounded(.up) / 10
        let ticks = stride(from: 0.0, through: ceiling + 1e-9, by: ceiling <= 0.5 ? 0.1 : 0.2).map { ($0, String(format: "%.0f%%", $0 * 100)) }
        return LineChart.svg(
            caption: "类别占比趋势 class shares, \(d.trend.first?.asOf ?? "") – \(d.trend.last?.asOf ?? "")", x: d.trend.map(\.asOf), yTicks: ticks,
            top: ceiling, bottom: 0, series: series)
    }

    static func json(_ d: Dashboard) -> String {
        let s = TextTable.jsonString
        func counts(_ c: [String: Int]) -> String {
            "{" + c.keys.sorted().map { "\(s($0)): \(c[$0]!)" }.joined(separator: ", ") + "}"
        }
        var out = "{\"scope\": \(s(d.scope.code)), \"scope_name\": \(s(d.scopeName)), \"as_of\": \(s(d.asOf)), \"enterprises\": \(d.total), "
        out += "\"classes\": [" + d.classes.map { "{\"code\": \(s($0.code)), \"name_zh\": \(s($0.nameZh))}" }.joined(separator: ", ") + "], "
        out += "\"areas\": [" + d.areas.map { "{\"code\": \(s($0.code)), \"name\": \(s($0.name)), \"total\": \($0.total), \"classes\": \(counts($0.counts))}" }
            .joined(separator: ", ") + "], "
        out += "\"trend\": [" + d.trend.map { "{\"as_of\": \(s($0.asOf)), \"total\": \($0.total), \"classes\": \(counts($0.counts))}" }.joined(separator: ", ")
            + "], "
        out += "\"changes\": {\"from\": \(d.changesFrom.map(s) ?? "null"), \"note\": \(d.changesNote.map(s) ?? "null"), "
        out += "\"class_up\": \(d.moves.filter(\.up).count), \"class_down\": \(d.moves.filter { !$0.up }.count), "
        out += "\"new_listings\": {" + d.listings.map { "\(s($0.tag)): \($0.count)" }.joined(separator: ", ") + "}, "
        out += "\"class_changes\": [" + d.moves.map {
            "{\"uscc\": \(s($0.uscc)), \"name\": \(s($0.name)), \"from\": \(s($0.from)), \"to\": \(s($0.to)), \"direction\": \($0.up ? "\"up\"" : "\"down\"")}"
        }.joined(separator: ", ") + "]}, "
        out += "\"sources\": [" + d.sources.map {
            "{\"source\": \(s($0.name)), \"rows_read\": \($0.read), \"rows_accepted\": \($0.accepted), \"rows_rejected\": \($0.rejected)}"
        }.joined(separator: ", ") + "]"
        // The province's back-test, as the run published it (backtest.json; `model report --format json`'s keys).
        if let backTest = d.backTest, let json = try? backTest.json() { out += ", \"backtest\": " + json.trimmingCharacters(in: .whitespacesAndNewlines) }
        return out + "}"
    }
}
