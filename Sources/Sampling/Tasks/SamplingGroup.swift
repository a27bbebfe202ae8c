import DigiTagBase

/// A group's sampling ratios: one for every class, or one per risk class.
public enum GroupRatios: Sendable, Hashable {
    case uniform(Ratio)
    case perClass([String: Ratio])

    /// The ratio for an enterprise of `riskClass`; nil when a per-class table has no entry for it.
    public func ratio(for riskClass: String) -> Ratio? {
        switch self {
        case .uniform(let r): return r
        case .perClass(let table): return table[riskClass]
        }
    }

    /// Every ratio the group can give.
    public var all: [Ratio] {
        switch self {
        case .uniform(let r): return [r]
        case .perClass(let table): return table.keys.sorted().map { table[$0]! }
        }
    }

    /// As the audit record and the terminal show it: `100%` or `A 1.4%, B 3%`.
    public var text: String {
        switch self {
        case .uniform(let r): return r.percentText
        case .perClass(let table): return table.keys.sorted().map { "\($0) \(table[$0]!.percentText)" }.joined(separator: ", ")
        }
    }
}

/// One group of an inspection task: a rule-defined set of enterprises drawn at its own ratios.
///
/// A task holds several groups: targeted groups (定向抽查) such as "capital over 10 M yuan but no tax paid",
/// drawn at their own ratios up to 100%, beside the general draw of everyone else. Groups are tried in the
/// task's order and an enterprise belongs to the first whose rule holds, so every enterprise in scope is in
/// exactly one group; the last group may be `rest: true` (everyone else in scope).
///
/// ```yaml
/// groups:
///   - id: capital-no-tax                 # letters, digits, '-', '_', '.': internal, never published
///     name_zh: 注册资本一千万元以上但近一年未申报纳税   # internal description
///     where: targeted.capital_ge1000_no_tax.1y   # a tag expression (as in scope)
///     ratio: 100%                        # one ratio for every class …
///     strata: []                         # … so the group needs no class strata
///   - id: signals
///     where: targeted.not_inspected_high_risk_signals
///     ratio: 10%
///     weight: score                      # numeric tag expression: probability proportional to it
///     strata: [city]
///   - id: general
///     rest: true
///     ratios: {A: 1.4%, B: 3%, C: 10%, D: 10%}   # … or one per class (strata must then include class)
///     strata: [class, county]            # default: the task's strata
///     rounding: keyed                    # default: the task's rounding
///     min_per_stratum: 0                 # default: the task's
///     max_per_stratum: 50                # default: the task's
/// ```
public struct SamplingGroup: Sendable {
    /// Empty for the single implicit group of a task that declares none (its strata keys have no prefix).
    public var id: String
    public var nameZh: String
    /// The rule that puts an enterprise in this group; nil for the `rest` group.
    public var rule: ScopeClause?
    public var ratios: GroupRatios
    public var strata: [String]
    public var rounding: Rounding
    public var minimumPerStratum: Int
    public var maximumPerStratum: Int?
    /// A numeric expression: when set, the group is drawn with probability proportional to it (Poisson
    /// sampling, see `ProportionalProbabilities`) instead of a fixed number of lowest tickets per stratum.
    public var weight: ScopeClause?
    public var location: SourceLocation

    public var isRest: Bool { rule == nil }
    public var isWeighted: Bool { weight != nil }

    public init(
        id: String, nameZh: String = "", rule: ScopeClause? = nil, ratios: GroupRatios, strata: [String], rounding: Rounding = .keyed,
        minimumPerStratum: Int = 0, maximumPerStratum: Int? = nil, weight: ScopeClause? = nil,
        location: SourceLocation = SourceLocation(file: "task")
    ) {
        self.id = id
        self.nameZh = nameZh
        self.rule = rule
        self.ratios = ratios
        self.strata = strata
        self.rounding = rounding
        self.minimumPerStratum = minimumPerStratum
        self.maximumPerStratum = maximumPerStratum
        self.weight = weight
        self.location = location
    }

    /// What the task file's defaults give a group that does not override them.
    struct Defaults {
        var strata: [String]
        var rounding: Rounding
        var minimum: Int
        var maximum: Int?
        /// Whether a ratio of 0 is allowed (the task gives `exempt_reason`).
        var zeroAllowed: Bool
    }

    /// Reads one entry of `groups:`; every problem goes to `problems` with its place.
    static func read(_ node: YAMLNode, defaults: Defaults, _ problems: inout [Diagnostic]) -> SamplingGroup? {
        var r = YAMLFieldReader(node, what: "the group")
        let id = r.string("id", required: true) ?? ""
        if node.isMapping, node["id"] != nil, !SamplingTask.isPlainIdentifier(id) {
            problems.append(
                Diagnostic(
                    node["id"]!.location, "the group id '\(id)' must be letters, digits, '-', '_' or '.'", hint: "e.g. capital-no-tax"))
        }
        let nameZh = r.string("name_zh") ?? ""
        let rest = r.bool("rest") ?? false
        var rule: ScopeClause?
        if let whereNode = r.node("where") {
            if let text = whereNode.scalarText, !text.isEmpty {
                rule = SamplingTask.expressionClause(
                    name: "where", label: "group '\(id)' where", node: whereNode, text: text)
            } else {
                problems.append(Diagnostic(whereNode.location, "a group's 'where' must be a tag expression, e.g. targeted.shell_like"))
            }
        }
        if rest && node["where"] != nil {
            problems.append(
                Diagnostic(
                    node["where"]!.location, "group '\(id)' is 'rest: true' and has a 'where'",
                    hint: "the rest group takes everyone else in scope: remove one of the two"))
        }
        if !rest && node["where"] == nil && node.isMapping {
            problems.append(
                Diagnostic(node.location, "group '\(id)' needs a 'where' (a tag expression) or 'rest: true' (everyone else in scope)"))
        }

        var ratios: GroupRatios?
        let single = r.node("ratio")
        let table = r.node("ratios")
        switch (single, table) {
        case (let s?, nil):
            if let ratio = SamplingTask.readRatio(s, what: "ratio of group '\(id)'", zeroAllowed: defaults.zeroAllowed, &problems) {
                ratios = .uniform(ratio)
            }
        case (nil, let t?):
            ratios = .perClass(SamplingTask.readRatioTable(t, zeroAllowed: defaults.zeroAllowed, &problems))
        case (_?, _?):
            problems.append(Diagnostic(single!.location, "group '\(id)' gives both 'ratio' and 'ratios'", hint: "keep one"))
        case (nil, nil):
            if node.isMapping {
                problems.append(
                    Diagnostic(
                        node.location, "group '\(id)' needs 'ratio' (one for every class, e.g. 20%) or 'ratios' (per class)"))
            }
        }

        let strata = SamplingTask.readStrata(&r, node: node, default: defaults.strata, &problems)
        if case .perClass = ratios, !strata.contains("class") {
            problems.append(
                Diagnostic(
                    node["strata"]?.location ?? node.location, "group '\(id)' has ratios per class, so its strata must include 'class'",
                    hint: "add class to strata, or give one 'ratio' for every class"))
        }
        let rounding = SamplingTask.readRounding(&r, node: node, default: defaults.rounding, &problems)
        let (minimum, maximum) = SamplingTask.readBounds(&r, node: node, defaults: (defaults.minimum, defaults.maximum), &problems)

        var weight: ScopeClause?
        if let w = r.node("weight") {
            if let text = w.scalarText, !text.isEmpty {
                weight = SamplingTask.expressionClause(name: "weight", label: "group '\(id)' weight", node: w, text: text)
            } else {
                problems.append(Diagnostic(w.location, "a group's 'weight' must be a numeric tag expression, e.g. score + 10"))
            }
        }
        problems += r.finish()
        // A group without a usable rule is not the rest group: its problem is reported, the group dropped.
        guard let ratios, rest || rule != nil else { return nil }
        return SamplingGroup(
            id: id, nameZh: nameZh, rule: rest ? nil : rule, ratios: ratios, strata: strata, rounding: rounding,
            minimumPerStratum: minimum, maximumPerStratum: maximum, weight: weight, location: node.location)
    }
}
