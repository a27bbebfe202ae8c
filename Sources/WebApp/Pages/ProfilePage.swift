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

    static func html(_ p: EnterpriseProfile, all: Bool, session: Session) -> String {
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

    /// The API's profile: the same JSON as `digitag profile --format json`, of the visible profile.
    static func json(_ p: EnterpriseProfile, all: Bool) -> String {
        var p = p
        if !all { p.tags = p.tags.filter(isNonDefault) }
        return ProfileReport.json(p, changes: nil)
    }
}
