import DigiTagBase

/// Field readers shared by the task and its groups: each reports its problems with their place and keeps going.
extension SamplingTask {
    /// One ratio: a decimal or a percentage in [0, 1]; 0 only when `zeroAllowed` (the task gives `exempt_reason`).
    static func readRatio(_ node: YAMLNode, what: String, zeroAllowed: Bool, _ problems: inout [Diagnostic]) -> Ratio? {
        guard let text = node.scalarText, let ratio = Ratio(text: text) else {
            problems.append(Diagnostic(node.location, "\(what) must be from 0 to 1, e.g. 0.014 or 1.4%, found '\(node.scalarText ?? "a block")'"))
            return nil
        }
        if ratio == .zero && !zeroAllowed {
            problems.append(
                Diagnostic(
                    node.location, "\(what) must be above 0 and at most 1: a ratio of 0 exempts every enterprise it applies to",
                    hint: "no enterprise in scope may be exempt: narrow the scope, or say why in exempt_reason"))
            return nil
        }
        return ratio
    }

    /// A ratio per class: `{A: 1.4%, C: 10%}`.
    static func readRatioTable(_ node: YAMLNode, zeroAllowed: Bool, _ problems: inout [Diagnostic]) -> [String: Ratio] {
        var ratios: [String: Ratio] = [:]
        if !node.isMapping { problems.append(Diagnostic(node.location, "'ratios' must map each class to a ratio, e.g. {A: 1.4%, C: 10%}")) }
        for (cls, loc, value) in node.pairs {
            guard let text = value.scalarText, let ratio = Ratio(text: text), ratio > .zero || zeroAllowed else {
                problems.append(
                    Diagnostic(
                        loc, "ratio for class \(cls) must be above 0 and at most 1, e.g. 0.014 or 1.4%",
                        hint: "no enterprise in scope may be exempt: narrow the scope instead of a 0 ratio, or say why in exempt_reason"))
                continue
            }
            ratios[cls] = ratio
        }
        return ratios
    }

    static func readStrata(_ r: inout YAMLFieldReader, node: YAMLNode, default value: [String], _ problems: inout [Diagnostic]) -> [String] {
        guard node["strata"] != nil else {
            _ = r.node("strata")
            return value
        }
        let strata = r.strings("strata") ?? value
        for s in strata where !strataKeys.contains(s) {
            problems.append(
                Diagnostic(
                    node["strata"]?.location ?? node.location, "unknown stratum key '\(s)'",
                    hint: closestMatch(to: s, in: strataKeys).map { "did you mean '\($0)'?" } ?? "use " + strataKeys.joined(separator: ", ")))
        }
        if Set(strata).count != strata.count {
            problems.append(Diagnostic(node["strata"]?.location ?? node.location, "a stratum key is listed twice"))
        }
        return strata
    }

    static func readRounding(_ r: inout YAMLFieldReader, node: YAMLNode, default value: Rounding, _ problems: inout [Diagnostic]) -> Rounding {
        guard let text = r.string("rounding") else { return value }
        if let k = Rounding(rawValue: text) { return k }
        problems.append(
            Diagnostic(
                node["rounding"]!.location, "unknown rounding '\(text)'", hint: "use " + Rounding.allCases.map(\.rawValue).joined(separator: " or ")))
        return value
    }

    static func readBounds(
        _ r: inout YAMLFieldReader, node: YAMLNode, defaults: (Int, Int?), _ problems: inout [Diagnostic]
    ) -> (Int, Int?) {
        let minimum = r.int("min_per_stratum") ?? defaults.0
        let maximum = node["max_per_stratum"] != nil ? r.int("max_per_stratum") : { _ = r.node("max_per_stratum"); return defaults.1 }()
        if minimum < 0 { problems.append(Diagnostic(node["min_per_stratum"]!.location, "min_per_stratum must not be negative")) }
        if let maximum, maximum < max(1, minimum) {
            problems.append(
                Diagnostic(
                    node["max_per_stratum"]?.location ?? node.location, "max_per_stratum must be at least 1 and at least min_per_stratum"))
        }
        return (minimum, maximum)
    }

    /// A tag expression written as a YAML scalar; a one-line quoted expression maps its offsets to columns.
    static func expressionClause(name: String, label: String, node: YAMLNode, text: String) -> ScopeClause {
        var loc = node.location
        if case .scalar(let s) = node.node, s.style == .singleQuoted || s.style == .doubleQuoted {
            loc = loc.offset(column: 1)
        }
        return ScopeClause(name: name, expression: text, location: loc, mapsOffsets: !text.contains("\n"), label: label)
    }
}
