import Catalog
import DigiTagBase

/// Reads and checks `risk.yaml` against a compiled tag catalog, reporting every problem with its place.
public enum RiskModelLoader {
    public static func load(path: String, catalog: TagCatalog) throws -> RiskModel {
        let text = try FileSystem.readText(path)
        return try load(text: text, file: path, catalog: catalog)
    }

    public static func load(text: String, file: String, catalog: TagCatalog) throws(DiagnosticsError) -> RiskModel {
        let root = try YAMLNode.parse(text, file: file)
        var problems: [Diagnostic] = []
        var top = YAMLFieldReader(root, what: "the risk model")
        let name = top.string("model", required: true) ?? "?"
        let version = top.int("version") ?? 1
        let reasonCount = top.int("reasons") ?? 3
        var compiler = catalog.expressionCompiler()

        var classes: [RiskClass] = []
        for node in top.node("classes", required: true)?.items ?? [] {
            var r = YAMLFieldReader(node, what: "class")
            let code = r.string("class", required: true) ?? "?"
            let k = RiskClass(
                code: code, nameZh: r.string("name_zh") ?? code, nameEn: r.string("name_en") ?? code,
                minScore: r.double("min_score", required: true) ?? 0)
            problems += r.finish()
            if let last = classes.last, k.minScore <= last.minScore {
                problems.append(Diagnostic(node.location, "class \(code)'s min_score must be above \(last.code)'s (\(last.minScore))"))
            }
            classes.append(k)
        }
        if classes.count < 2 { problems.append(Diagnostic(root.location, "the model needs at least two classes")) }
        if let first = classes.first, first.minScore > 0 {
            problems.append(Diagnostic(root.location, "the lowest class must start at min_score 0 so every score has a class"))
        }

        func compileCondition(_ text: String, _ node: YAMLNode) -> PlanNode? {
            do {
                let (plan, type) = try compiler.compile(try Parser.parse(text))
                guard type == .bool else {
                    problems.append(Diagnostic(node.location, "'\(text)' must be a condition (true/false), it gives a \(type)"))
                    return nil
                }
                // Risk reads tags only, so a published run's tags are enough to explain any enterprise's class.
                guard plan.readsOnlyTags else {
                    problems.append(
                        Diagnostic(
                            node.location, "'\(text)' reads records or registration fields directly",
                            hint: "risk rules may only use tags: define a tag for it in Pipelines/tags/"))
                    return nil
                }
                return plan
            } catch {
                problems.append(
                    Diagnostic(node.location.offset(column: error.offset + quoteShift(node)), error.message, hint: error.hint))
                return nil
            }
        }

        var entries: [ScoreEntry] = []
        for node in top.node("scorecard", required: true)?.items ?? [] {
            var r = YAMLFieldReader(node, what: "scorecard entry")
            let tagID = r.string("tag")
            let when = r.string("when")
            let points = r.double("points")
            let values = r.node("values")
            let ranges = r.node("ranges")
            let reasonZh = r.string("reason_zh")
            let reasonEn = r.string("reason_en")
            let explicitID = r.string("id")
            problems += r.finish()
            if let when {
                guard let plan = compileCondition(when, node["when"]!), let points else {
                    if points == nil { problems.append(Diagnostic(node.location, "a 'when' entry needs 'points'")) }
                    continue
                }
                entries.append(
                    ScoreEntry(
                        id: explicitID ?? when, nameZh: reasonZh ?? when, nameEn: reasonEn ?? when, tagIndex: nil, expression: plan,
                        rule: .whenTrue(points: points), location: node.location))
                continue
            }
            guard let tagID else {
                problems.append(Diagnostic(node.location, "a scorecard entry needs 'tag' or 'when'"))
                continue
            }
            guard let ti = catalog.indexByID[tagID] else {
                problems.append(
                    Diagnostic(
                        node["tag"]!.location, "unknown tag '\(tagID)'",
                        hint: closestMatch(to: tagID, in: catalog.indexByID.keys).map { "did you mean '\($0)'?" }))
                continue
            }
            let tag = catalog.tags[ti]
            let baseZh = reasonZh ?? tag.definition.nameZh
            let baseEn = reasonEn ?? tag.definition.nameEn
            switch tag.type {
            case .bool:
                guard let points else {
                    problems.append(Diagnostic(node.location, "boolean tag '\(tagID)' needs 'points'"))
                    continue
                }
                entries.append(
                    ScoreEntry(
                        id: explicitID ?? tagID, nameZh: baseZh, nameEn: baseEn, tagIndex: ti, expression: nil,
                        rule: .whenTrue(points: points), location: node.location))
            case .category(_, let allowed):
                guard let values else {
                    problems.append(Diagnostic(node.location, "categorical tag '\(tagID)' needs 'values: {value: points}'"))
                    continue
                }
                var map: [Int32: Double] = [:]
                for (value, loc, p) in values.pairs {
                    guard allowed.isEmpty || allowed.contains(value), let code = catalog.vocabulary.code(value) else {
                        problems.append(
                            Diagnostic(
                                loc, "'\(value)' is not a value of tag '\(tagID)'",
                                hint: "values: " + allowed.prefix(12).joined(separator: ", ")))
                        continue
                    }
                    guard let d = p.scalarText.flatMap(Double.init) else {
                        problems.append(Diagnostic(p.location, "points must be a number"))
                        continue
                    }
                    map[code] = d
                }
                entries.append(
                    ScoreEntry(
                        id: explicitID ?? tagID, nameZh: baseZh, nameEn: baseEn, tagIndex: ti, expression: nil, rule: .categories(map),
                        location: node.location))
            case .number:
                guard let ranges else {
                    problems.append(
                        Diagnostic(node.location, "numeric tag '\(tagID)' needs 'ranges: [{min: 1, below: 3, points: 5}, …]'"))
                    continue
                }
                var list: [(Double, Double, Double)] = []
                for item in ranges.items {
                    var rr = YAMLFieldReader(item, what: "range")
                    let lo = rr.double("min") ?? -Double.infinity
                    let below = rr.double("below") ?? Double.infinity
                    let p = rr.double("points", required: true) ?? 0
                    problems += rr.finish()
                    if lo >= below { problems.append(Diagnostic(item.location, "range needs min < below")) }
                    list.append((lo, below, p))
                }
                entries.append(
                    ScoreEntry(
                        id: explicitID ?? tagID, nameZh: baseZh, nameEn: baseEn, tagIndex: ti, expression: nil,
                        rule: .ranges(list.map { (min: $0.0, below: $0.1, points: $0.2) }), location: node.location))
            case .date:
                problems.append(Diagnostic(node.location, "date tag '\(tagID)' cannot score directly: use 'when' with a comparison"))
            }
        }

        var hardRules: [HardRule] = []
        for node in top.node("hard_rules")?.items ?? [] {
            var r = YAMLFieldReader(node, what: "hard rule")
            let id = r.string("id", required: true) ?? "?"
            let when = r.string("when", required: true) ?? "true"
            let atLeast = r.string("at_least")
            let atMost = r.string("at_most")
            let zh = r.string("reason_zh") ?? id
            let en = r.string("reason_en") ?? id
            problems += r.finish()
            if atLeast == nil && atMost == nil {
                problems.append(Diagnostic(node.location, "hard rule '\(id)' needs 'at_least' or 'at_most' (a class)"))
            }
            func classIndex(_ c: String?, _ key: String) -> Int? {
                guard let c else { return nil }
                guard let i = classes.firstIndex(where: { $0.code == c }) else {
                    problems.append(
                        Diagnostic(
                            node[key]!.location, "unknown class '\(c)'", hint: "classes: " + classes.map(\.code).joined(separator: ", ")))
                    return nil
                }
                return i
            }
            let lo = classIndex(atLeast, "at_least")
            let hi = classIndex(atMost, "at_most")
            guard let plan = compileCondition(when, node["when"] ?? node) else { continue }
            hardRules.append(HardRule(id: id, nameZh: zh, nameEn: en, condition: plan, conditionText: when, atLeast: lo, atMost: hi))
        }
        problems += top.finish()
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return RiskModel(
            name: name, version: version, classes: classes, entries: entries, hardRules: hardRules, reasonCount: reasonCount,
            sourceText: text)
    }

    private static func quoteShift(_ node: YAMLNode) -> Int {
        if case .scalar(let s) = node.node, s.style == .singleQuoted || s.style == .doubleQuoted { return 1 }
        return 0
    }
}
