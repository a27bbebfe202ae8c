import DigiTagBase
import DataContract
import Engine
import Foundation
import ProfileStore

/// Renders a `RunReport` as `report.html`: one self-contained page (inline CSS and SVG, no script, no
/// external file, no web font) that an operator opens from the run directory, offline.
///
/// The top answers "is it fine, and what changed?" in two lines; the sections below give the detail:
/// changes since the last run, classes by city, rows per source, stage timings, coverage per tag family.
/// Chinese names are shown as they are (UTF-8, declared in the page) with the English beside them.
struct ReportPage {
    let report: RunReport

    /// Class colours from low to high risk; models with more classes reuse the last.
    static let classColours = ["#2e7d32", "#9bbb3b", "#f0a020", "#c62828", "#6a1b9a"]
    static let acceptedColour = "#1e6bb8"
    static let rejectedColour = ReportBarChart.warningColour
    static let timingColour = "#5c6f82"
    static let coverageColour = "#00897b"
    /// How many examples (enterprises, tags) a section lists before pointing to changes.json.
    static let examples = 3
    static let coverageRows = 10

    func classColour(_ i: Int) -> String { Self.classColours[min(i, Self.classColours.count - 1)] }

    private func t(_ s: String) -> String { HTMLText.escape(s) }
    private func count(_ n: Int) -> String { ReportMarkup.count(n) }

    func html() -> String {
        let m = report.manifest
        var out = "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        out += "<title>digitag \(t(m.pipeline)) \(t(report.run)) — 运行报告 run report</title>\n"
        out += "<style>\(Self.css)</style>\n</head>\n<body>\n"
        out += header()
        // A refused run has no classes, store or comparison: what ingest read and the gates are the story.
        if report.published {
            out += changesSection()
            out += citiesSection()
        }
        out += sourcesSection()
        out += timingsSection()
        if report.published { out += coverageSection() }
        if let backTest = report.backTest { out += BackTestSection(backTest).html() }
        out += footer()
        return out + "</body>\n</html>\n"
    }

    // MARK: the top: status and key facts

    func header() -> String {
        let m = report.manifest
        var out = "<header>\n<h1>digitag 运行报告 run report <span class=\"run\">\(t(report.run))</span></h1>\n"
        guard report.published else { return out + refusedStatus() + facts() }
        let gates = m.gates ?? []
        let warnings = report.gateWarnings
        let accepted = report.gatesAccepted
        let duplicates = report.duplicateWarnings
        let warningCount = warnings.count + duplicates.count
        let changesOK = report.changes.status != .unavailable
        let fine = warningCount == 0 && accepted.isEmpty && changesOK
        out += "<div class=\"status \(fine ? "ok" : "warn")\" id=\"status\">\n"
        let gateText =
            gates.isEmpty
            ? "no data-quality gates configured"
            : accepted.isEmpty
                ? "all \(gates.count) data-quality gates passed"
                : "\(gates.count - accepted.count) of \(gates.count) data-quality gates passed, "
                    + "\(accepted.count) failed and accepted on the record"
        out += "<p class=\"headline\">\(fine ? "✓" : "!") Published \(t(report.run)): "
        out += "<b id=\"enterprises\">\(count(m.enterprises))</b> enterprises, \(gateText)"
        out += warningCount == 0 ? "." : ", \(warningCount) warning\(warningCount == 1 ? "" : "s")."
        out += "</p>\n<p>\(changeSentence())</p>\n"
        for g in accepted {
            let a = g.accepted!
            out += "<p class=\"warning accepted\">Gate accepted on the record: \(t(g.gate)) [\(t(g.source))] failed: \(t(g.detail)); "
            out += "accepted\(a.by.map { " by \(t($0))" } ?? ""): \(t(a.reason))</p>\n"
        }
        for w in warnings { out += "<p class=\"warning\">\(t(w.gate)) [\(t(w.source))]: \(t(w.detail))</p>\n" }
        for d in duplicates { out += "<p class=\"warning duplicates\">duplicate records: \(t(d))</p>\n" }
        out += "</div>\n"
        // The class distribution, large: the number regulators ask for first.
        out += "<div class=\"classes\" id=\"class-counts\">\n"
        for (i, c) in report.classes.enumerated() {
            let n = m.classCounts[c.code] ?? 0
            let share = m.enterprises == 0 ? 0 : Double(n) / Double(m.enterprises)
            out += "<div class=\"class\" style=\"border-color:\(classColour(i))\"><span class=\"code\" style=\"color:\(classColour(i))\">\(t(c.code))</span>"
            out += " <span class=\"name\">\(t(c.nameZh)) \(t(c.nameEn))</span><br><b class=\"big\" id=\"class-\(t(c.code))\">\(count(n))</b>"
            out += " <span class=\"share\">\(ReportMarkup.percent(share))</span></div>\n"
        }
        out += "</div>\n"
        return out + facts()
    }

    /// The red banner of a run a gate refused: each gate that failed, with what was measured and the bound.
    func refusedStatus() -> String {
        let refused = report.manifest.refusedGates
        var out = "<div class=\"status fail\" id=\"status\">\n"
        out += "<p class=\"headline\">✗ Not published \(t(report.run)): \(refused.count) data-quality gate"
        out += "\(refused.count == 1 ? "" : "s") failed: nothing was published, <code>current</code> is unchanged.</p>\n"
        for g in refused { out += "<p class=\"failure\">\(t(g.gate)) [\(t(g.source))]: \(t(g.detail))</p>\n" }
        out += "<p>If the delivery is right after all: <code>digitag run … --accept-gate NAME --reason TEXT</code> publishes it "
        out += "with the acceptance on the record. Rejected rows are in <code>rejects/</code> beside this page.</p>\n"
        return out + "</div>\n"
    }

    /// The key facts of the run, under the banner.
    func facts() -> String {
        let m = report.manifest
        let input = m.sources.reduce(0) { $0 + $1.rowsRead }
        let rejected = m.sources.reduce(0) { $0 + $1.rowsRejected }
        let facts: [(String, String)] = [
            ("as of 数据日期", m.asOf),
            ("pipeline 流水线", m.pipeline),
            ("pipeline hash", String(m.pipelineHash.prefix(16))),
            ("risk model 风险模型", m.riskModel),
            ("enterprises 企业", count(m.enterprises)),
            ("tags per enterprise 标签", count(m.tags)),
            ("rows read 读入行", "\(count(input)) (\(count(rejected)) rejected)"),
            ("duration 用时", ReportMarkup.seconds(report.duration)),
            ("threads × shards", "\(m.threads) × \(m.shards)"),
            ("input 输入", m.input),
            ("compared with 对比", report.changes.from ?? "—"),
            ("published 发布", m.publishedAt ?? "— (not published)"),
        ]
        var out = "<dl class=\"facts\">\n"
        for (k, v) in facts { out += "<div><dt>\(t(k))</dt><dd>\(t(v))</dd></div>\n" }
        return out + "</dl>\n</header>\n"
    }

    /// One sentence: what changed since the previous run.
    func changeSentence() -> String {
        let c = report.changes
        switch c.status {
        case .firstRun: return "First run in this directory: nothing to compare with yet."
        case .unavailable:
            return "Could not compare with the previous run \(t(c.from ?? "")): \(t(c.reason ?? "unknown reason"))."
        case .compared:
            let moved = c.classUp + c.classDown
            let listed = c.newListings.count
            var s = "Since \(t(c.from ?? "the previous run")): <b>\(count(moved))</b> enterprise\(moved == 1 ? "" : "s") changed class "
            s += "(\(count(c.classUp)) ↑ to higher risk, \(count(c.classDown)) ↓ lower); "
            s += "<b>\(count(listed))</b> newly on a watched list; "
            s += "\(count(c.coverageMoves.count)) tag\(c.coverageMoves.count == 1 ? "" : "s") moved coverage by more than "
            s += "\(ReportMarkup.percent(c.coverageThreshold).replacingOccurrences(of: "%", with: "")) points; "
            s += "\(count(c.enterprisesAdded)) enterprises new, \(count(c.enterprisesGone)) gone."
            return s
        }
    }

    // MARK: changes since the last run

    func changesSection() -> String {
        let c = report.changes
        var out = "<section id=\"changes\">\n<h2>变化 Changes since the last run</h2>\n"
        guard c.status == .compared else { return out + "<p>\(changeSentence())</p>\n</section>\n" }
        out += "<p class=\"note\">Compared with run \(t(c.from ?? "")), the run that was current before this one. "
        out += "Every change is in <code>changes.json</code> (the same as <code>digitag diff --format json</code>).</p>\n"
        out += "<div class=\"cards\">\n"
        out += card("class ↑ higher risk", c.classUp, warn: c.classUp > 0)
        out += card("class ↓ lower risk", c.classDown)
        for tag in RunDiff.watchedListings where c.newListingCounts[tag] != nil {
            out += card("newly " + tagLabel(tag), c.newListingCounts[tag] ?? 0, warn: (c.newListingCounts[tag] ?? 0) > 0)
        }
        out += card("tags: coverage moved", c.coverageMoves.count, warn: !c.coverageMoves.isEmpty)
        out += card("enterprises new", c.enterprisesAdded)
        out += card("enterprises gone", c.enterprisesGone)
        out += "</div>\n"
        out += transitions()
        out += listings()
        out += coverageMoves()
        return out + "</section>\n"
    }

    func card(_ label: String, _ n: Int, warn: Bool = false) -> String {
        "<div class=\"card\(warn ? " attention" : "")\"><b class=\"big\">\(count(n))</b><br><span>\(t(label))</span></div>\n"
    }

    /// "abnormal.listed" → "经营异常名录 listed as abnormal", from the catalog.
    func tagLabel(_ id: String) -> String {
        guard let n = report.tagNames[id] else { return id }
        return "\(n.zh) \(n.en)"
    }

    /// Class moves as a from × to matrix, and the enterprises that jumped furthest up.
    func transitions() -> String {
        let c = report.changes
        guard !c.classChanges.isEmpty else { return "<p>No enterprise changed class.</p>\n" }
        let codes = report.classes.map(\.code)
        let rank = Dictionary(codes.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var matrix: [String: Int] = [:]
        for ch in c.classChanges { matrix[ch.from + "\u{0}" + ch.to, default: 0] += 1 }
        var out = "<h3>Class moves 类别变化 (rows: before, columns: now)</h3>\n<table class=\"matrix\" id=\"class-moves\">\n<tr><th>before \\ now</th>"
        for (i, code) in codes.enumerated() { out += "<th style=\"color:\(classColour(i))\">\(t(code))</th>" }
        out += "</tr>\n"
        for from in codes {
            out += "<tr><th>\(t(from))</th>"
            for to in codes {
                if from == to {
                    out += "<td class=\"num dim\">—</td>"
                } else {
                    let n = matrix[from + "\u{0}" + to] ?? 0
                    let up = (rank[to] ?? 0) > (rank[from] ?? 0)
                    out += "<td class=\"num\(n > 0 && up ? " up" : "")\">\(n == 0 ? "" : count(n))</td>"
                }
            }
            out += "</tr>\n"
        }
        out += "</table>\n"
        // The largest jumps first (A → D before C → D), then in USCC order: deterministic.
        let jumps = c.classChanges.filter { $0.direction == "up" }
            .map { ($0, (rank[$0.to] ?? 0) - (rank[$0.from] ?? 0)) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0.uscc < $1.0.uscc }
        if !jumps.isEmpty {
            out += "<p class=\"examples\">Largest moves up: "
            out += jumps.prefix(Self.examples).map { j in
                "<code>\(t(j.0.uscc))</code> \(t(j.0.name)) (\(t(j.0.from)) → \(t(j.0.to)))"
            }.joined(separator: "; ")
            out += jumps.count > Self.examples ? "; … \(count(jumps.count - Self.examples)) more.</p>\n" : ".</p>\n"
        }
        return out
    }

    func listings() -> String {
        let c = report.changes
        var out = "<h3>Newly listed 新列入</h3>\n<table id=\"new-listings\">\n<tr><th>list</th><th>enterprises</th><th>examples</th></tr>\n"
        for tag in RunDiff.watchedListings where c.newListingCounts[tag] != nil {
            let rows = c.newListings.filter { $0.tag == tag }
            let examples = rows.prefix(Self.examples).map { "<code>\(t($0.uscc))</code> \(t($0.name))" }.joined(separator: "<br>")
            let more = rows.count > Self.examples ? "<br>… \(count(rows.count - Self.examples)) more" : ""
            out += "<tr><td>\(t(tagLabel(tag)))<br><code class=\"dim\">\(t(tag))</code></td>"
            out += "<td class=\"num\">\(count(c.newListingCounts[tag] ?? 0))</td><td>\(examples)\(more)</td></tr>\n"
        }
        return out + "</table>\n"
    }

    func coverageMoves() -> String {
        let c = report.changes
        let threshold = ReportMarkup.percent(c.coverageThreshold).replacingOccurrences(of: "%", with: "")
        guard !c.coverageMoves.isEmpty else {
            return "<p>No tag's coverage moved by more than \(threshold) percentage points.</p>\n"
        }
        let largest = c.coverageMoves.sorted { abs($0.after - $0.before) > abs($1.after - $1.before) }
        var out = "<h3>Tags whose coverage moved by more than \(threshold) points 覆盖率变化</h3>\n<table id=\"coverage-moves\">\n"
        out += "<tr><th>tag</th><th>before</th><th>now</th><th>change</th></tr>\n"
        for move in largest.prefix(Self.coverageRows) {
            out += "<tr><td><code>\(t(move.tag))</code> \(t(tagLabel(move.tag) == move.tag ? "" : tagLabel(move.tag)))</td>"
            out += "<td class=\"num\">\(ReportMarkup.percent(move.before))</td><td class=\"num\">\(ReportMarkup.percent(move.after))</td>"
            out += "<td class=\"num\">\(ReportMarkup.points(move.after - move.before))</td></tr>\n"
        }
        out += "</table>\n"
        if largest.count > Self.coverageRows {
            out += "<p class=\"note\">… \(count(largest.count - Self.coverageRows)) more in changes.json.</p>\n"
        }
        return out
    }

    // MARK: classes by city

    func citiesSection() -> String {
        let classes = report.classes
        let totals = report.cities.reduce(into: [Int](repeating: 0, count: classes.count)) { acc, city in
            for k in city.counts.indices where k < acc.count { acc[k] += city.counts[k] }
        }
        let province = RunReport.City(code: "", nameZh: "全省", nameEn: "province", counts: totals)
        func label(_ c: RunReport.City) -> String {
            c.code.isEmpty && c.nameZh.isEmpty ? "(unknown region)" : [c.code, c.nameZh, c.nameEn].filter { !$0.isEmpty }.joined(separator: " ")
        }
        func bar(_ city: RunReport.City) -> ReportBarChart.Bar {
            let total = city.total
            let segments = classes.enumerated().map { i, k in
                let n = i < city.counts.count ? city.counts[i] : 0
                return ReportBarChart.Segment(
                    value: Double(n), colour: classColour(i),
                    title: "\(label(city)): \(k.code) \(count(n)) (\(ReportMarkup.percent(total == 0 ? 0 : Double(n) / Double(total))))")
            }
            let highest = classes.last.map { k in
                " · \(k.code) " + ReportMarkup.percent(total == 0 ? 0 : Double(city.counts.last ?? 0) / Double(total))
            } ?? ""
            return ReportBarChart.Bar(label: label(city), segments: segments, note: count(total) + highest)
        }
        let chart = ReportBarChart(
            caption: "Risk classes by city, as shares of each city's enterprises", bars: [bar(province)] + report.cities.map(bar), scale: .shares)
        var out = "<section id=\"cities\">\n<h2>风险类别 Classes by city 按地市</h2>\n"
        out += legend(classes.enumerated().map { (classColour($0), "\($1.code) \($1.nameZh) \($1.nameEn)") })
        out += chart.svg() + "\n"
        out += "<table id=\"cities-table\">\n<tr><th>city</th><th>城市</th><th>name</th>"
        for k in classes { out += "<th>\(t(k.code))</th>" }
        out += "<th>total</th></tr>\n"
        for (city, isTotal) in report.cities.map({ ($0, false) }) + [(province, true)] {
            out += "<tr\(isTotal ? " class=\"total\"" : "")><td>\(t(city.code))</td>"
            out += "<td>\(t(city.nameZh))</td><td>\(t(city.nameEn))</td>"
            for i in classes.indices {
                let n = i < city.counts.count ? city.counts[i] : 0
                let share = city.total == 0 ? 0 : Double(n) / Double(city.total)
                out += "<td class=\"num\">\(count(n)) <span class=\"dim\">\(ReportMarkup.percent(share))</span></td>"
            }
            out += "<td class=\"num\">\(count(city.total))</td></tr>\n"
        }
        return out + "</table>\n</section>\n"
    }

    func legend(_ items: [(colour: String, label: String)]) -> String {
        "<ul class=\"legend\">"
            + items.map { "<li><span class=\"swatch\" style=\"background:\($0.colour)\"></span>\(t($0.label))</li>" }.joined()
            + "</ul>\n"
    }

    // MARK: rows per source

    func sourcesSection() -> String {
        let sources = report.manifest.sources
        let bars = sources.map { s -> ReportBarChart.Bar in
            let rate = s.rowsRead == 0 ? 0 : Double(s.rowsRejected) / Double(s.rowsRead)
            let note = "\(count(s.rowsRead)) read" + (s.rowsRejected == 0 ? "" : " · \(count(s.rowsRejected)) rejected (\(ReportMarkup.percent(rate)))")
            return ReportBarChart.Bar(
                label: s.source,
                segments: [
                    .init(value: Double(s.rowsAccepted), colour: Self.acceptedColour, title: "\(s.source): \(count(s.rowsAccepted)) accepted"),
                    .init(value: Double(s.rowsRejected), colour: Self.rejectedColour, title: "\(s.source): \(count(s.rowsRejected)) rejected"),
                ], note: note, warn: s.rowsRejected > 0)
        }
        var out = "<section id=\"sources\">\n<h2>数据源 Rows per source</h2>\n"
        out += legend([(Self.acceptedColour, "accepted 接受"), (Self.rejectedColour, "rejected 拒绝 (rows in rejects/<source>.csv)")])
        out += ReportBarChart(caption: "Rows read per source: accepted and rejected", bars: bars, scale: .longest).svg() + "\n"
        out += "<table id=\"sources-table\">\n<tr><th>source</th><th>files</th><th>read</th><th>accepted</th><th>rejected</th>"
        out += "<th>reject rate</th><th>after as-of</th></tr>\n"
        for s in sources {
            let rate = s.rowsRead == 0 ? 0 : Double(s.rowsRejected) / Double(s.rowsRead)
            out += "<tr id=\"source-\(t(s.source))\"><td>\(t(s.source))</td><td class=\"num\">\(s.files.count)</td>"
            out += "<td class=\"num\">\(count(s.rowsRead))</td><td class=\"num\">\(count(s.rowsAccepted))</td>"
            out += "<td class=\"num\(s.rowsRejected > 0 ? " bad" : "")\">\(count(s.rowsRejected))</td>"
            out += "<td class=\"num\">\(ReportMarkup.percent(rate))</td><td class=\"num\">\(count(s.rowsAfterAsOf))</td></tr>\n"
        }
        return out + "</table>\n</section>\n"
    }

    // MARK: stage timings

    func timingsSection() -> String {
        let total = report.duration
        let bars = report.timings.map { stage, seconds in
            ReportBarChart.Bar(
                label: stage, segments: [.init(value: seconds, colour: Self.timingColour, title: "\(stage): \(ReportMarkup.seconds(seconds))")],
                note: "\(ReportMarkup.seconds(seconds)) (\(ReportMarkup.percent(total == 0 ? 0 : seconds / total)))")
        }
        var out = "<section id=\"timings\">\n<h2>用时 Stage timings</h2>\n"
        out += "<p class=\"note\">Wall-clock time per stage, \(ReportMarkup.seconds(total)) until the manifest was written.</p>\n"
        return out + ReportBarChart(caption: "Seconds per stage", bars: bars, scale: .longest).svg() + "\n</section>\n"
    }

    // MARK: coverage per tag family

    func coverageSection() -> String {
        var dimensions: [String] = []
        var byDimension: [String: [StoreStats.FamilyCoverage]] = [:]
        for f in report.families {
            if byDimension[f.dimension] == nil { dimensions.append(f.dimension) }
            byDimension[f.dimension, default: []].append(f)
        }
        var out = "<section id=\"coverage\">\n<h2>标签覆盖 Coverage by tag family</h2>\n"
        out += "<p class=\"note\">Mean over the family's tags of the share of enterprises with a value (booleans: share true). "
        out += "Red: a family with an empty tag (no enterprise has it).</p>\n<div class=\"dimensions\">\n"
        for d in dimensions {
            let families = byDimension[d]!
            let bars = families.map { f in
                ReportBarChart.Bar(
                    label: f.family,
                    segments: [.init(value: f.mean, colour: Self.coverageColour, title: "\(f.family): \(f.tags) tags, mean \(ReportMarkup.percent(f.mean)), min \(ReportMarkup.percent(f.min)), max \(ReportMarkup.percent(f.max))")],
                    note: ReportMarkup.percent(f.mean) + (f.emptyTags > 0 ? " · \(f.emptyTags) empty" : ""), warn: f.emptyTags > 0)
            }
            let tags = families.reduce(0) { $0 + $1.tags }
            out += "<div class=\"dimension\"><h3>\(t(families[0].dimensionZh)) \(t(d)) <span class=\"dim\">\(families.count) families, \(count(tags)) tags</span></h3>\n"
            out += ReportBarChart(
                caption: "Coverage of the \(d) tag families", bars: bars, scale: .upTo(1), width: 560, barHeight: 11, gap: 3, fontSize: 11
            ).svg()
            out += "</div>\n"
        }
        return out + "</div>\n</section>\n"
    }

    func footer() -> String {
        var out = "<footer>\n<p>Files of this run: <code>manifest.json</code> (counts, hashes, timings), <code>changes.json</code> (every change since "
        out += "the previous run), <code>classes.csv</code>, <code>tags.csv</code>, <code>tag_catalog.csv</code>, <code>rejects/</code>, "
        out += "<code>store/</code>. Details: <code>digitag stats</code>, <code>digitag diff</code>, <code>digitag profile USCC</code>.</p>\n"
        out += "<p>Pipeline hash <code>\(t(report.manifest.pipelineHash))</code>. This page is self-contained: no script, no external file.</p>\n"
        return out + "</footer>\n"
    }

    static let css = """
        body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Source Han Sans SC","WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC",sans-serif;\
        color:#222;background:#fff;margin:0 auto;max-width:1240px;padding:12px 24px 32px;font-size:14px;line-height:1.4}
        h1{font-size:22px;margin:8px 0}h1 .run{color:#1e6bb8}h2{font-size:18px;margin:28px 0 8px;border-bottom:2px solid #e3e7eb;padding-bottom:4px}
        h3{font-size:15px;margin:16px 0 6px}
        .status{border-left:6px solid;padding:6px 14px;margin:8px 0 12px;border-radius:4px}.status p{margin:4px 0}
        .status.ok{border-color:#2e7d32;background:#edf7ee}.status.warn{border-color:#e69500;background:#fff6e0}
        .status.fail{border-color:#c62828;background:#fdecea}.failure{color:#b71c1c;font-weight:bold}
        .headline{font-size:16px}.warning{color:#8a5300}
        .classes,.cards{display:flex;flex-wrap:wrap;gap:10px;margin:10px 0}
        .class{border-top:5px solid;background:#f6f8fa;padding:6px 14px;min-width:150px;border-radius:4px}
        .class .code{font-weight:bold;font-size:18px}.class .name,.share{color:#555}
        .big{font-size:24px;font-variant-numeric:tabular-nums}
        .card{background:#f6f8fa;padding:6px 14px;min-width:110px;max-width:230px;border-radius:4px}.card.attention .big{color:#b71c1c}
        dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(270px,1fr));gap:2px 16px;margin:10px 0}
        dl.facts div{display:flex;gap:8px}dt{color:#666;min-width:140px}dd{margin:0;overflow-wrap:anywhere}
        table{border-collapse:collapse;margin:8px 0}th,td{padding:2px 10px;border-bottom:1px solid #e3e7eb;text-align:left;vertical-align:top}
        th{background:#f6f8fa}.num{text-align:right;font-variant-numeric:tabular-nums}td.up{color:#b71c1c;font-weight:bold}td.bad{color:#b71c1c}
        tr.total td{font-weight:bold;border-top:2px solid #ccc}.dim{color:#888}.note{color:#555}
        .legend{list-style:none;padding:0;margin:4px 0;display:flex;flex-wrap:wrap;gap:14px}
        .swatch{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px}
        svg.chart{display:block;max-width:100%;height:auto;margin:6px 0}
        svg.chart text{font-family:inherit}
        .backtest-charts{display:flex;flex-wrap:wrap;gap:16px}
        .dimensions{columns:2 560px;column-gap:24px}.dimension{break-inside:avoid}
        code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:12px}
        footer{margin-top:32px;color:#555;border-top:1px solid #e3e7eb}
        """
}
