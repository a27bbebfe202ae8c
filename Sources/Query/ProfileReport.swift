import DigiTagIO
import Foundation
import ProfileStore

/// How a profile is shown: a terminal page grouped by dimension and family, or one JSON object.
public enum ProfileReport {
    /// Tags grouped by dimension, then family, each in catalog order of first appearance.
    static func grouped(_ tags: [EnterpriseProfile.TagValue]) -> [(dimension: StoreTag, families: [(String, [EnterpriseProfile.TagValue])])] {
        var dimensions: [String] = []
        var byDimension: [String: (StoreTag, [String], [String: [EnterpriseProfile.TagValue]])] = [:]
        for t in tags {
            if byDimension[t.tag.dimension] == nil {
                dimensions.append(t.tag.dimension)
                byDimension[t.tag.dimension] = (t.tag, [], [:])
            }
            if byDimension[t.tag.dimension]!.2[t.tag.family] == nil { byDimension[t.tag.dimension]!.1.append(t.tag.family) }
            byDimension[t.tag.dimension]!.2[t.tag.family, default: []].append(t)
        }
        return dimensions.map { d in
            let (tag, families, values) = byDimension[d]!
            return (tag, families.map { ($0, values[$0]!) })
        }
    }

    static func shown(_ t: EnterpriseProfile.TagValue) -> String {
        if t.tag.kind == "boolean" { return t.value == "1" ? "是" : "否" }
        if t.value.isEmpty { return "—" }
        return t.tag.unit.map { t.value + " " + $0 } ?? t.value
    }

    /// A tag at its default: a boolean that is false, a number that is 0, or no value. The page shows the
    /// others first.
    static func isDefault(_ t: EnterpriseProfile.TagValue) -> Bool {
        switch t.tag.kind {
        case "boolean": t.value != "1"
        case "numeric", "number": t.value.isEmpty || t.value == "0"
        default: t.value.isEmpty
        }
    }

    /// The page: registration, risk, changes, then the tags that say something about this enterprise (true
    /// booleans, numbers other than 0, other tags with a value) grouped by dimension and family; with `all`, then every tag at its default
    /// too, otherwise just how many there are.
    public static func text(_ p: EnterpriseProfile, changes: ProfileChanges?, all: Bool = false) -> String {
        var out: [String] = []
        out.append("\(p.uscc)  \(p.name)")
        out.append("run \(p.run) (as of \(p.asOf))")
        out.append("")
        out.append("登记信息 registration")
        let facts = TextTable(header: ["", ""], rows: p.facts.map { ["  " + $0.label, $0.value.isEmpty ? "—" : $0.value] })
        out += facts.text().split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).map(String.init)
        out.append("")
        out.append("风险 risk")
        out.append("  类别 class    \(p.riskClass) \(p.classNameZh)")
        out.append("  分值 score    \(p.score)")
        out.append("  原因 reasons  \(p.reasonsZh.isEmpty ? "—" : p.reasonsZh)")
        if !p.reasons.isEmpty { out.append("                \(p.reasons)") }
        if let changes { out.append(""); out += changesText(changes) }
        out.append("")
        let informative = p.tags.filter { !isDefault($0) }
        let defaults = p.tags.filter(isDefault)
        func section(_ tags: [EnterpriseProfile.TagValue]) {
            for (dimension, families) in grouped(tags) {
                out.append("")
                out.append("\(dimension.dimensionZh) \(dimension.dimension)")
                var rows: [[String]] = []
                for (family, tags) in families {
                    for (k, t) in tags.enumerated() { rows.append(["  " + (k == 0 ? family : ""), t.tag.id, t.tag.nameZh, shown(t)]) }
                }
                out += TextTable(header: ["  族 family", "标签 tag", "名称 name", "值 value"], rows: rows).text()
                    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
        }
        out.append("标签 tags: \(informative.count) of \(p.tags.count) true, non-zero or with a value")
        section(informative)
        out.append("")
        if all {
            out.append("默认 at their default: \(defaults.count) of \(p.tags.count) false, 0 or empty")
            section(defaults)
        } else {
            out.append("\(defaults.count) more tags are false, 0 or empty (--all shows all \(p.tags.count))")
        }
        return out.joined(separator: "\n")
    }

    static func changesText(_ c: ProfileChanges) -> [String] {
        var out = ["变化 changes since the previous run"]
        if let note = c.note {
            out.append("  " + note)
            return out
        }
        out.append("  previous run: \(c.previousRun ?? "") (as of \(c.previousAsOf ?? ""))")
        if c.changes.isEmpty {
            out.append("  nothing changed")
            return out
        }
        let table = TextTable(
            header: ["  字段 field", "名称 name", "之前 before", "现在 after"],
            rows: c.changes.map { ["  " + $0.field, $0.label, $0.before.isEmpty ? "—" : $0.before, $0.after.isEmpty ? "—" : $0.after] })
        out += table.text().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return out
    }

    /// A JSON value of a formatted store value: booleans and numbers as JSON, empty as null.
    static func jsonValue(_ value: String, kind: String) -> String {
        if value.isEmpty { return "null" }
        switch kind {
        case "boolean": return value == "1" ? "true" : "false"
        case "numeric", "number": return value
        default: return TextTable.jsonString(value)
        }
    }

    public static func json(_ p: EnterpriseProfile, changes: ProfileChanges?) -> String {
        let s = TextTable.jsonString
        var out = "{\n"
        out += "  \"uscc\": \(s(p.uscc)),\n  \"name\": \(s(p.name)),\n  \"run\": \(s(p.run)),\n  \"as_of\": \(s(p.asOf)),\n"
        out += "  \"registration\": {"
        out += p.facts.map { f in
            let kind = f.key == "registered_capital" ? "numeric" : "text"
            return "\(s(f.key)): \(jsonValue(f.value, kind: kind))"
        }.joined(separator: ", ")
        out += "},\n"
        out += "  \"class\": \(s(p.riskClass)),\n  \"class_name_zh\": \(s(p.classNameZh)),\n"
        out += "  \"score\": \(jsonValue(p.score, kind: "numeric")),\n"
        out += "  \"reasons\": \(s(p.reasons)),\n  \"reasons_zh\": \(s(p.reasonsZh)),\n"
        if let c = changes {
            out += "  \"changes\": {\"previous_run\": \(c.previousRun.map(s) ?? "null"), \"previous_as_of\": \(c.previousAsOf.map(s) ?? "null"), "
            out += "\"note\": \(c.note.map(s) ?? "null"), \"fields\": ["
            out += c.changes.map { "{\"field\": \(s($0.field)), \"name\": \(s($0.label)), \"before\": \(s($0.before)), \"after\": \(s($0.after))}" }
                .joined(separator: ", ")
            out += "]},\n"
        }
        out += "  \"dimensions\": ["
        out += grouped(p.tags).map { dimension, families in
            var d = "\n    {\"dimension\": \(s(dimension.dimension)), \"name_zh\": \(s(dimension.dimensionZh)), \"families\": ["
            d += families.map { family, tags in
                var f = "\n      {\"family\": \(s(family)), \"tags\": ["
                f += tags.map { t in
                    "\n        {\"id\": \(s(t.tag.id)), \"name_zh\": \(s(t.tag.nameZh)), \"value\": \(jsonValue(t.value, kind: t.tag.kind))}"
                }.joined(separator: ",")
                return f + "]}"
            }.joined(separator: ",")
            return d + "]}"
        }.joined(separator: ",")
        out += "\n  ]\n}"
        return out
    }
}
