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
        var top = YAMLFieldReader(root, what: "the risk model")
        let name = top.string("model", required: true) ?? "?"
        let version = top.int("version") ?? 1
        let reasonCount = top.int("reasons") ?? 3
        var reader = Reader(catalog: catalog)
        let classes = reader.classes(top.node("classes", required: true), root: root)
        let entries = reader.scorecard(top.node("scorecard", required: true))
        let hardRules = reader.hardRules(top.node("hard_rules"), classes: classes)
        let problems = reader.problems + top.finish()
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return RiskModel(
            name: name, version: version, classes: classes, entries: entries, hardRules: hardRules, reasonCount: reasonCount,
            sourceText: text)
    }

    /// Reads the model's sections, each entry on its own, collecting every problem (in file order) instead
    /// of stopping at the first.
    private struct Reader {
        let catalog: TagCatalog
        /// One for the whole model: scorecard conditions and hard rules compile against the same tags.
        var compiler: ExpressionCompiler
        private(set) var problems: [Diagnostic] = []

        init(catalog: TagCatalog) {
            self.catalog = catalog
            compiler = catalog.expressionCompiler()
        }

        // MARK: classes

        /// The classes, lowest score first: at least two, the first from 0, each above the previous.
        mutating func classes(_ list: YAMLNode?, root: YAMLNode) -> [RiskClass] {
            var classes: [RiskClass] = []
            for node in list?.items ?? [] {
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
            return classes
        }

        // MARK: scorecard

        mutating func scorecard(_ list: YAMLNode?) -> [ScoreEntry] {
            (list?.items ?? []).compactMap { scoreEntry($0) }
        }

        /// A `when` condition with its points, or a tag scored as its type says; `nil` after a problem.
        mutating func scoreEntry(_ node: YAMLNode) -> ScoreEntry? {
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
                guard let plan = condition(when, node["when"]!), let points else {
                    if points == nil { problems.append(Diagnostic(node.location, "a 'when' entry needs 'points'")) }
                    return nil
                }
                return ScoreEntry(
                    id: explicitID ?? when, nameZh: reasonZh ?? when, nameEn: reasonEn ?? when, tagIndex: nil, expression: plan,
                    rule: .whenTrue(points: points), location: node.location)
            }
            guard let tagID else {
                problems.append(Diagnostic(node.location, "a scorecard entry needs 'tag' or 'when'"))
                return nil
            }
            guard let ti = catalog.indexByID[tagID] else {
                problems.append(
                    Diagnostic(
                        node["tag"]!.location, "unknown tag '\(tagID)'",
                        hint: closestMatch(to: tagID, in: catalog.indexByID.keys).map { "did you mean '\($0)'?" }))
                return nil
            }
            let tag = catalog.tags[ti]
            guard let rule = tagRule(tag.type, tagID: tagID, node: node, points: points, values: values, ranges: ranges) else { return nil }
            return ScoreEntry(
                id: explicitID ?? tagID, nameZh: reasonZh ?? tag.definition.nameZh, nameEn: reasonEn ?? tag.definition.nameEn, tagIndex: ti,
                expression: nil, rule: rule, location: node.location)
        }

        /// How a tag of `type` scores: a boolean by `points`, a category by `values`, a number by `ranges`.
        mutating func tagRule(
            _ type: ValueType, tagID: String, node: YAMLNode, points: Double?, values: YAMLNode?, ranges: YAMLNode?
        ) -> ScoreEntry.Rule? {
            switch type {
            case .bool:
                guard let points else {
                    problems.append(Diagnostic(node.location, "boolean tag '\(tagID)' needs 'points'"))
                    return nil
                }
                return .whenTrue(points: points)
            case .category(_, let allowed):
                guard let values else {
                    problems.append(Diagnostic(node.location, "categorical tag '\(tagID)' needs 'values: {value: points}'"))
                    return nil
                }
                return .categories(categoryPoints(values, allowed: allowed, tagID: tagID))
            case .number:
                guard let ranges else {
                    problems.append(
                        Diagnostic(node.location, "numeric tag '\(tagID)' needs 'ranges: [{min: 1, below: 3, points: 5}, …]'"))
                    return nil
                }
                return .ranges(rangePoints(ranges))
            case .date:
                problems.append(Diagnostic(node.location, "date tag '\(tagID)' cannot score directly: use 'when' with a comparison"))
                return nil
            }
        }

        /// `values: {value: points}`, by the values' vocabulary codes; a value the tag cannot take is a problem.
        mutating func categoryPoints(_ values: YAMLNode, allowed: [String], tagID: String) -> [Int32: Double] {
            var map: [Int32: Double] = [:]
            for (value, loc, p) in values.pairs {
                guard allowed.isEmpty || allowed.contains(value), let code = catalog.vocabulary.code(value) else {
                    problems.append(
                        Diagnostic(loc, "'\(value)' is not a value of tag '\(tagID)'", hint: "values: " + allowed.prefix(12).joined(separator: ", ")))
                    continue
                }
                guard let d = p.scalarText.flatMap(Double.init) else {
                    problems.append(Diagnostic(p.location, "points must be a number"))
                    continue
                }
                map[code] = d
            }
            return map
        }

        /// `ranges: [{min, below, points}]`: an open end when `min` or `below` is left out.
        mutating func rangePoints(_ ranges: YAMLNode) -> [(min: Double, below: Double, points: Double)] {
            var list: [(min: Double, below: Double, points: Double)] = []
            for item in ranges.items {
                var rr = YAMLFieldReader(item, what: "range")
                let lo = rr.double("min") ?? -Double.infinity
                let below = rr.double("below") ?? Double.infinity
                let p = rr.double("points", required: true) ?? 0
                problems += rr.finish()
                if lo >= below { problems.append(Diagnostic(item.location, "range needs min < below")) }
                list.append((lo, below, p))
            }
            return list
        }

        // MARK: hard rules

        mutating func hardRules(_ list: YAMLNode?, classes: [RiskClass]) -> [HardRule] {
            (list?.items ?? []).compactMap { hardRule($0, classes: classes) }
        }

        /// A condition that puts an enterprise at least (or at most) in a class, whatever its score.
        mutating func hardRule(_ node: YAMLNode, classes: [RiskClass]) -> HardRule? {
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
            let lo = classIndex(atLeast, classes: classes, node: node, key: "at_least")
            let hi = classIndex(atMost, classes: classes, node: node, key: "at_most")
            guard let plan = condition(when, node["when"] ?? node) else { return nil }
            return HardRule(id: id, nameZh: zh, nameEn: en, condition: plan, conditionText: when, atLeast: lo, atMost: hi)
        }

        mutating func classIndex(_ code: String?, classes: [RiskClass], node: YAMLNode, key: String) -> Int? {
            guard let code else { return nil }
            guard let i = classes.firstIndex(where: { $0.code == code }) else {
                problems.append(
                    Diagnostic(node[key]!.location, "unknown class '\(code)'", hint: "classes: " + classes.map(\.code).joined(separator: ", ")))
                return nil
            }
            return i
        }

        // MARK: conditions

        /// Compiles a condition over tags; anything else (not true/false, reading records) is a problem.
        mutating func condition(_ text: String, _ node: YAMLNode) -> PlanNode? {
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
                problems.append(Diagnostic(node.location.offset(column: error.offset + quoteShift(node)), error.message, hint: error.hint))
                return nil
            }
        }
    }

    private static func quoteShift(_ node: YAMLNode) -> Int {
        if case .scalar(let s) = node.node, s.style == .singleQuoted || s.style == .doubleQuoted { return 1 }
        return 0
    }
}
