import DigiTagBase
import DigiTagIO
import Query

/// An enterprise's profile: registration, class, score and reasons, tags by dimension and family with the
/// values that differ from the default first (all of them with `?all=1`).
enum ProfilePage {
    /// A tag value worth showing by default: set, and not the empty/false/zero default.
    static func isNonDefault(_ t: EnterpriseProfile.TagValue) -> Bool {
        !(t.value.isEmpty || t.value == "0" || t.value == "false")
    }

    static func shown(_ t: EnterpriseProfile.TagValue) -> String {
        if t.tag.kind == "boolean" { return t.value == "1" ? "是 yes" : "否 no" }
        if t.value.isEmpty { return "—" }
        return t.tag.unit.map { t.value + " " + $0 } ?? t.value
    }

    /// Tags grouped by dimension, then family, in catalog order; with `all` false only the non-default ones.
    static func groups(_ p: EnterpriseProfile, all: Bool) -> [(dimension: String, families: [(String, [EnterpriseProfile.TagValue])])] {
        var order: [String] = []
        var byDimension: [String: (String, [String], [String: [EnterpriseProfile.TagValue]])] = [:]
        for t in p.tags where all || isNonDefault(t) {
            let d = t.tag.dimension
            if byDimension[d] == nil {
                order.append(d)
                byDimension[d] = ("\(t.tag.dimensionZh) \(t.tag.dimension)", [], [:])
            }
            if byDimension[d]!.2[t.tag.family] == nil { byDimension[d]!.1.append(t.tag.family) }
            byDimension[d]!.2[t.tag.family, default: []].append(t)
        }
        return order.map { d in
            let (title, families, values) = byDimension[d]!
            return (title, families.map { ($0, values[$0]!) })
        }
    }

    static func html(
        _ p: EnterpriseProfile, all: Bool, history: ProfileHistory, others: (list: [OtherEnterprises.Entry], total: Int)?, session: Session
    ) -> String {
        let e = HTMLText.escape
        var body = "<h1>\(e(p.name)) <small>\(e(p.uscc))</small></h1>"
        body += "<p class=\"note\">数据截至 as of \(e(p.asOf))</p>"
        body += "<h2>登记信息 Registration</h2><table>"
        for f in p.facts { body += "<tr><th>\(e(f.label))</th><td>\(e(f.value.isEmpty ? "—" : f.value))</td></tr>" }
        body += "</table>"
        if !p.riskClass.isEmpty {
            body += "<h2>风险 Risk</h2><table>"
            body += "<tr><th>类别 class</th><td>\(e(p.riskClass)) \(e(p.classNameZh))</td></tr>"
            body += "<tr><th>分值 score</th><td>\(e(p.score))</td></tr>"
            body += "<tr><th>原因 reasons</th><td>\(e(p.reasonsZh.isEmpty ? "—" : p.reasonsZh))<br><span class=\"note\">\(e(p.reasons))</span></td></tr>"
            body += "</table>"
        }
        if history.classes.count > 1 { body += "<h3>历次运行的类别 Class across the retained runs</h3>" + classChart(history) }
        body += changesHTML(history.changes)
        body += othersHTML(others)
        let shownCount = p.tags.filter { all || isNonDefault($0) }.count
        body += "<h2>标签 Tags</h2><p class=\"note\">\(shownCount) / \(p.tags.count) · "
        body += all
            ? "<a href=\"/enterprise/\(e(p.uscc))\">只看非默认值 only non-default values</a>"
            : "<a href=\"/enterprise/\(e(p.uscc))?all=1\">显示全部 show all</a>"
        body += "</p>"
        for (dimension, families) in groups(p, all: all) {
            body += "<h3>\(e(dimension))</h3><table><tr><th>族 family</th><th>标签 tag</th><th>名称 name</th><th>值 value</th></tr>"
            for (family, tags) in families {
                for (k, t) in tags.enumerated() {
                    body += "<tr><td>\(k == 0 ? e(family) : "")</td><td>\(e(t.tag.id))</td><td>\(e(t.tag.nameZh)) <span class=\"note\">\(e(t.tag.nameEn))</span></td><td>\(e(shown(t)))</td></tr>"
                }
            }
            body += "</table>"
        }
        return HTML.page(title: p.name, session: session, body: body)
    }

    /// The class in each retained run, lowest risk at the top; a run without the enterprise (or with it
    /// outside the user's region) leaves a gap.
    static func classChart(_ h: ProfileHistory) -> String {
        let codes = h.classNames.map(\.code)
        let rank = Dictionary(codes.enumerated().map { ($1, Double($0)) }, uniquingKeysWith: { a, _ in a })
        let points = h.classes.map { p -> (value: Double, title: String)? in
            guard let c = p.riskClass, let v = rank[c] else { return nil }
            return (v, "\(p.asOf): \(c)")
        }
        return LineChart.svg(
            caption: "历次运行的类别 class in each retained run", x: h.classes.map(\.asOf),
            yTicks: h.classNames.enumerated().map { (Double($0), "\($1.code) \($1.nameZh)") }, top: 0, bottom: Double(max(codes.count - 1, 1)),
            series: [LineChart.Series(label: "class", colour: "#1d3f6e", points: points)])
    }

    static func othersHTML(_ others: (list: [OtherEnterprises.Entry], total: Int)?) -> String {
        let e = HTMLText.escape
        var out = "<h2>法定代表人的其他企业 The legal representative's other enterprises <small>(您的范围内 in your area)</small></h2>"
        guard let others else { return out + "<p class=\"note\">本次运行没有关联信息 this run has no peer groups (run that date again)</p>" }
        if others.list.isEmpty { return out + "<p class=\"note\">无 none in your area</p>" }
        out += "<table><tr><th>统一社会信用代码 USCC</th><th>名称 Name</th><th>地区 Region</th><th>类别 Class</th></tr>"
        for o in others.list {
            out += "<tr><td><a href=\"/enterprise/\(e(o.uscc))\">\(e(o.uscc))</a></td><td>\(e(o.name))</td><td>\(e(o.region)) \(e(o.regionName))</td><td>\(e(o.riskClass))</td></tr>"
        }
        out += "</table>"
        if others.total > others.list.count { out += "<p class=\"note\">… \(others.total - others.list.count) more</p>" }
        return out
    }

    static func changesHTML(_ c: ProfileChanges) -> String {
        let e = HTMLText.escape
        var out = "<h2>变化 Changes since the previous run"
        if let asOf = c.previousAsOf { out += " <small>(\(e(asOf)))</small>" }
        out += "</h2>"
        if let note = c.note { return out + "<p class=\"note\">\(e(note))</p>" }
        if c.changes.isEmpty { return out + "<p class=\"note\">无变化 nothing changed</p>" }
        out += "<table><tr><th>字段 field</th><th>名称 name</th><th>之前 before</th><th>现在 now</th></tr>"
        for x in c.changes {
            out += "<tr><td>\(e(x.field))</td><td>\(e(x.label))</td><td>\(e(x.before.isEmpty ? "—" : x.before))</td><td>\(e(x.after.isEmpty ? "—" : x.after))</td></tr>"
        }
        return out + "</table>"
    }

    /// The API's profile: the same JSON as `digitag profile --format json` of the visible profile, with its
    /// changes since the previous retained run and its class in each retained run.
    static func json(_ p: EnterpriseProfile, all: Bool, history: ProfileHistory, others: (list: [OtherEnterprises.Entry], total: Int)?) -> String {
        var p = p
        if !all { p.tags = p.tags.filter(isNonDefault) }
        var out = ProfileReport.json(p, changes: history.changes)
        // The document ends with "\n}": the class history goes in as its last member.
        out.removeLast(2)
        let s = TextTable.jsonString
        out += ",\n  \"class_history\": ["
        out += history.classes.map { "{\"as_of\": \(s($0.asOf)), \"class\": \($0.riskClass.map(s) ?? "null")}" }.joined(separator: ", ")
        out += "],\n  \"other_enterprises\": "
        if let others {
            out += "{\"total\": \(others.total), \"list\": ["
            out += others.list.map {
                "{\"uscc\": \(s($0.uscc)), \"name\": \(s($0.name)), \"region\": \(s($0.region)), \"class\": \(s($0.riskClass))}"
            }.joined(separator: ", ")
            out += "]}"
        } else {
            out += "null"
        }
        return out + "\n}"
    }
}
