import DigiTagBase
import Foundation
import Yams

/// Reads tag files (`Pipelines/tags/*.yaml`): single tags and families expanded from parameter grids.
///
/// Every problem is collected with its place; loading never stops at the first one.
public struct CatalogLoader {
    public private(set) var definitions: [TagDefinition] = []
    public private(set) var diagnostics: [Diagnostic] = []

    /// The most tags one family may expand to: a grid beyond it is a mistake (a 1000 × 1000 grid is a million
    /// tags and a run that never ends), not a catalog. docs/tag-language.md states both limits.
    public static let maxTagsPerFamily = 1_000
    /// The most tags a catalog may hold, about ten times the shipped one.
    public static let maxTags = 10_000

    public init() {}

    public mutating func load(file path: String) {
        let text: String
        do { text = try FileSystem.readText(path) } catch let d as Diagnostic {
            diagnostics.append(d)
            return
        } catch {
            diagnostics.append(Diagnostic(SourceLocation(file: path), "\(error)"))
            return
        }
        load(text: text, file: path)
    }

    public mutating func load(text: String, file: String) {
        let root: YAMLNode
        do { root = try YAMLNode.parse(text, file: file) } catch {
            diagnostics += error.diagnostics
            return
        }
        var top = YAMLFieldReader(root, what: "the tag file")
        let defaultDimension = top.string("dimension")
        let defaultSensitivity = top.string("sensitivity")
        let defaults = Defaults(dimension: defaultDimension, sensitivity: defaultSensitivity)
        if let tags = top.node("tags") {
            for node in tags.items { readTag(node, defaults: defaults) }
        }
        if let families = top.node("families") {
            for node in families.items { readFamily(node, defaults: defaults) }
        }
        diagnostics += top.finish()
    }

    struct Defaults {
        var dimension: String?
        var sensitivity: String?
    }

    private mutating func readTag(_ node: YAMLNode, defaults: Defaults) {
        var r = YAMLFieldReader(node, what: "tag")
        let id = r.string("id", required: true) ?? "?"
        r = YAMLFieldReader(node, what: "tag '\(id)'")
        _ = r.string("id")
        if let def = readCommon(&r, id: id, node: node, defaults: defaults, substitutions: [:]) {
            definitions.append(def)
        }
        diagnostics += r.finish()
    }

    /// Fields shared by tags and family templates; `substitutions` fills `{param}` placeholders.
    private mutating func readCommon(
        _ r: inout YAMLFieldReader, id: String, node: YAMLNode, defaults: Defaults, substitutions: [String: String]
    ) -> TagDefinition? {
        func sub(_ s: String) -> String { substitute(s, substitutions) }
        let nameZh = r.string("name_zh", required: true).map(sub) ?? id
        let nameEn = r.string("name_en", required: true).map(sub) ?? id
        let description = r.string("description").map(sub) ?? ""
        let kindText = r.string("type", required: true) ?? "boolean"
        let unit = r.string("unit").map(sub)
        let family = r.string("family").map(sub)
        let dimensionText = r.string("dimension") ?? defaults.dimension ?? ""
        let sensitivityText = r.string("sensitivity") ?? defaults.sensitivity ?? "internal"
        let version = r.int("version") ?? 1
        let exprNode = r.node("expr", required: true)
        let expression = exprNode?.scalarText.map(sub) ?? ""
        var ok = exprNode != nil
        guard let kind = TagKind(rawValue: kindText) else {
            let hint = closestMatch(to: kindText, in: TagKind.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" }
            r.report(Diagnostic(node["type"]?.location ?? node.location, "unknown tag type '\(kindText)'", hint: hint ?? "use boolean, categorical, numeric or date"))
            return nil
        }
        guard let dimension = Dimension(rawValue: dimensionText) else {
            let hint = closestMatch(to: dimensionText, in: Dimension.allCases.map(\.rawValue)).map { "did you mean '\($0)'?" }
            r.report(
                Diagnostic(
                    node["dimension"]?.location ?? node.location,
                    dimensionText.isEmpty ? "tag '\(id)' has no dimension" : "unknown dimension '\(dimensionText)'",
                    hint: hint ?? "one of: " + Dimension.allCases.map(\.rawValue).joined(separator: ", ")))
            return nil
        }
        guard let sensitivity = Sensitivity(rawValue: sensitivityText) else {
            r.report(
                Diagnostic(
                    node["sensitivity"]?.location ?? node.location, "unknown sensitivity '\(sensitivityText)'",
                    hint: "use public, internal or confidential"))
            return nil
        }
        if let exprNode, exprNode.scalarText == nil {
            r.report(Diagnostic(exprNode.location, "expr must be text (an expression)"))
            ok = false
        }
        if !ok { return nil }
        var shift = 0
        if case .scalar(let s) = exprNode!.node, s.style == .singleQuoted || s.style == .doubleQuoted { shift = 1 }
        let derivedFamily = family ?? id.split(separator: ".").dropLast().joined(separator: ".")
        return TagDefinition(
            id: id, nameZh: nameZh, nameEn: nameEn, description: description, kind: kind, unit: unit,
            family: derivedFamily.isEmpty ? id : derivedFamily, dimension: dimension, sensitivity: sensitivity, version: version,
            expression: expression, expressionLocation: exprNode!.location, expressionColumnShift: shift, location: node.location,
            template: nil, parameters: [])
    }

    /// A family: one template and a grid of parameters; every combination becomes a tag.
    ///
    /// A parameter value is either a scalar (`90d`) or a mapping `{value: 90d, zh: 90天, en: 90 days}`; the
    /// template refers to `{name}`, `{name.zh}` and `{name.en}`.
    private mutating func readFamily(_ node: YAMLNode, defaults: Defaults) {
        var r = YAMLFieldReader(node, what: "family")
        let template = r.string("id", required: true) ?? "?"
        var parameters: [(name: String, values: [(value: String, zh: String, en: String)])] = []
        if let grid = r.node("grid", required: true) {
            for (name, loc, values) in grid.pairs {
                var list: [(String, String, String)] = []
                for item in values.items {
                    if let s = item.scalarText {
                        list.append((s, s, s))
                    } else {
                        var ir = YAMLFieldReader(item, what: "value of parameter '\(name)'")
                        let v = ir.string("value", required: true) ?? ""
                        let zh = ir.string("zh") ?? v
                        let en = ir.string("en") ?? v
                        diagnostics += ir.finish()
                        list.append((v, zh, en))
                    }
                }
                if list.isEmpty { diagnostics.append(Diagnostic(loc, "parameter '\(name)' of family '\(template)' has no values")) }
                parameters.append((name, list))
            }
        }
        for placeholder in placeholders(in: template) where !parameters.contains(where: { $0.name == placeholder }) {
            r.report(Diagnostic(node["id"]?.location ?? node.location, "family id uses {\(placeholder)} but the grid has no such parameter"))
        }
        let familyName = r.string("family") ?? template.components(separatedBy: ".{").first ?? template
        // Refuse an exploding grid before expanding it.
        let size = parameters.reduce(1) { Swift.min($0 * Swift.max($1.values.count, 1), Int(Int32.max)) }
        let gridLocation = node["grid"]?.location ?? node.location
        let shape = parameters.map { "\($0.values.count)" }.joined(separator: " × ")
        if size > Self.maxTagsPerFamily {
            diagnostics.append(
                Diagnostic(
                    gridLocation, "family '\(template)' expands to \(size) tags (\(shape)), more than the limit of \(Self.maxTagsPerFamily) per family",
                    hint: "split it into several families, or shorten the parameter lists"))
            diagnostics += r.diagnostics
            return
        }
        if definitions.count + size > Self.maxTags {
            diagnostics.append(
                Diagnostic(
                    gridLocation,
                    "family '\(template)' (\(size) tag\(size == 1 ? "" : "s")) takes the catalog to \(definitions.count + size) tags, more than the limit of \(Self.maxTags) in all",
                    hint: "a catalog this large is most likely a mistake in a grid"))
            diagnostics += r.diagnostics
            return
        }
        // Cartesian product in declared order: ids are stable as long as the grid is.
        var combos: [[(name: String, value: (value: String, zh: String, en: String))]] = [[]]
        for p in parameters {
            combos = combos.flatMap { combo in p.values.map { combo + [(p.name, $0)] } }
        }
        var first = true
        var firstReaderDiagnostics: [Diagnostic] = []
        for combo in combos where !parameters.isEmpty {
            var subs: [String: String] = [:]
            for (name, v) in combo {
                subs[name] = v.value
                subs["\(name).zh"] = v.zh
                subs["\(name).en"] = v.en
            }
            let id = substitute(template, subs)
            var tr = YAMLFieldReader(node, what: "family '\(template)'")
            _ = tr.string("id")
            _ = tr.node("grid")
            _ = tr.string("family")
            if var def = readCommon(&tr, id: id, node: node, defaults: defaults, substitutions: subs) {
                def.template = template
                def.family = substitute(familyName, subs)
                def.parameters = combo.map { ($0.name, $0.value.value) }
                definitions.append(def)
            }
            // Template problems are the same for every combination: report them once.
            if first {
                firstReaderDiagnostics = tr.finish()
                first = false
            }
        }
        diagnostics += firstReaderDiagnostics
        diagnostics += r.diagnostics
    }

    private func placeholders(in s: String) -> [String] {
        var out: [String] = []
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            let name = String(rest[rest.index(after: open)..<close])
            out.append(name.components(separatedBy: ".").first!)
            rest = rest[rest.index(after: close)...]
        }
        return out
    }

    private func substitute(_ s: String, _ subs: [String: String]) -> String {
        guard s.contains("{"), !subs.isEmpty else { return s }
        var out = s
        // Longest keys first so `{w.zh}` is not eaten by `{w}`.
        for (k, v) in subs.sorted(by: { $0.key.count > $1.key.count }) { out = out.replacingOccurrences(of: "{\(k)}", with: v) }
        return out
    }
}

