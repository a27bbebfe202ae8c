import DigiTagBase
import Foundation

/// An inspection task as a regulator defines it (`Pipelines/tasks/*.yaml`).
///
/// ```yaml
/// id: SD-2025-GEN-01                       # required; part of every ticket
/// name_zh: …                               # internal name
/// name_en: …
/// public_title: …                          # shown in notice.csv and results.csv (default: name_zh)
/// seed: {commitment: <sha256 hex>, committed_at: <ISO time>}   # `digitag sample commit`; or
/// seed: {published_on: 2025-01-15, nonce: "…"}   # or seed: "text"; --seed overrides
/// items: [annual_report, tax_compliance]   # required: codes of Pipelines/items.csv (several departments = joint task)
/// scope:                                   # optional; every clause must hold
///   regions: ["3701", "370203"]            # city (4 digits) or county (6 digits) codes
///   industries: [C, F51]                   # GB/T 4754 sections (a letter) or divisions (letter + 2 digits)
///   entity_types: [company]                # values of the tag basic.entity_type
///   where: "basic.status.operating and not targeted.shell_like"   # any tag expression
/// exclude_inspected_within_months: 12      # optional
/// strata: [class, county]                  # class, county, city (default class × county)
/// ratios: {A: 1.4%, B: 3%, C: 10%, D: 10%} # per class, decimals or percentages (these are the defaults)
/// rounding: keyed                          # or largest_remainder
/// min_per_stratum: 0
/// max_per_stratum: 50
/// floor: 0.5%                             # optional: every enterprise in scope has at least this probability
/// exempt_reason: "…"                       # optional: why some enterprise in scope may have probability 0
/// groups: […]                              # optional: targeted groups and the rest (see SamplingGroup)
/// inspectors:
///   per_department: 2                      # at least 2
///   pool: [city, province]                 # where inspectors come from, nearest first
///   avoid_same_county: false
///   max_load: 10                           # task-wide cap, on top of each inspector's own max_load
/// ```
///
/// Without `groups`, the task is one group of everyone in scope with the task's `ratios` (the province's
/// general draw). With `groups`, ratios belong to each group; `strata`, `rounding`, `min_per_stratum` and
/// `max_per_stratum` at the task's level are the groups' defaults.
///
/// No enterprise in scope is ever exempt (Shandong's rule): a ratio of 0, a task whose groups do not end with
/// `rest: true`, and a weighted group without a `floor` could each leave an enterprise with probability 0,
/// so each is refused unless the task says why in `exempt_reason`.
public struct SamplingTask: Sendable {
    public var id: String
    public var nameZh: String
    public var nameEn: String
    /// What the public files (notice.csv, results.csv) show; nil: `name_zh` is shown.
    public var publicTitle: String?
    /// Where the published title is written (`public_title`, else `name_zh`).
    public var titleLocation: SourceLocation?
    public var seed: TaskSeed?
    /// Item codes of the inspection item list, in the task's order.
    public var items: [String]
    public var scope: [ScopeClause]
    public var excludeInspectedWithinMonths: Int?
    /// What makes a stratum: `class`, `county`, `city`, in this order in the stratum key.
    public var strata: [String]
    /// Sampling ratio per risk class, exact.
    public var exactRatios: [String: Ratio]
    public var rounding: Rounding
    public var minimumPerStratum: Int
    public var maximumPerStratum: Int?
    public var inspection: InspectionRules
    /// The groups the task declares, in order of precedence; empty for a task with one general draw.
    public var groups: [SamplingGroup] = []
    /// The lowest inclusion probability any enterprise in scope may have.
    public var floor: Ratio?
    /// Why the task may leave some enterprise in scope with probability 0 (nil: it may not).
    public var exemptReason: String?
    /// The task file's exact text, hashed into the audit record.
    public var sourceText: String
    /// Where each item code was written (for errors about unknown items).
    public var itemLocations: [SourceLocation]
    /// Every class named under `ratios` (the task's and its groups'), with its place, so that a class the risk
    /// model does not have is an error where it is written.
    public var ratioClasses: [(code: String, location: SourceLocation)] = []
    public var location: SourceLocation

    public static let strataKeys: [String] = ["class", "county", "city"]
    public static let defaultRatios: [String: Ratio] = [
        "A": Ratio(text: "0.014")!, "B": Ratio(text: "0.03")!, "C": Ratio(text: "0.10")!, "D": Ratio(text: "0.10")!,
    ]

    /// The title the public files show: `public_title`, else `name_zh`.
    public var publishedTitle: String { publicTitle ?? nameZh }

    /// Ratios as numbers, for display.
    public var ratios: [String: Double] { exactRatios.mapValues(\.doubleValue) }

    /// True when the task declares `groups` (stratum keys then start with the group id).
    public var declaresGroups: Bool { !groups.isEmpty }

    /// The groups a draw uses: the declared ones, or one implicit group of everyone in scope with the
    /// task's own ratios, strata and rounding (id "", so its strata keys and lotteries are as they always were).
    public var effectiveGroups: [SamplingGroup] {
        if declaresGroups { return groups }
        return [
            SamplingGroup(
                id: "", nameZh: nameZh, rule: nil, ratios: .perClass(exactRatios), strata: strata, rounding: rounding,
                minimumPerStratum: minimumPerStratum, maximumPerStratum: maximumPerStratum, weight: nil, location: location)
        ]
    }

    /// Letters, digits, '-', '_' and '.', not starting with '.': safe in a path and in a ticket.
    static func isPlainIdentifier(_ s: String) -> Bool {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".utf8)
        return !s.isEmpty && !s.hasPrefix(".") && s.utf8.allSatisfy(allowed.contains)
    }

    public init(
        id: String, nameZh: String, nameEn: String, strata: [String], ratios: [String: Double], minimumPerStratum: Int,
        maximumPerStratum: Int?, sourceText: String, seed: TaskSeed? = nil, items: [String] = [], scope: [ScopeClause] = [],
        excludeInspectedWithinMonths: Int? = nil, rounding: Rounding = .keyed, inspection: InspectionRules = InspectionRules()
    ) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.strata = strata
        self.exactRatios = ratios.mapValues { Ratio($0) ?? .zero }
        self.minimumPerStratum = minimumPerStratum
        self.maximumPerStratum = maximumPerStratum
        self.sourceText = sourceText
        self.seed = seed
        self.items = items
        self.scope = scope
        self.excludeInspectedWithinMonths = excludeInspectedWithinMonths
        self.rounding = rounding
        self.inspection = inspection
        self.itemLocations = items.map { _ in SourceLocation(file: "task") }
        self.location = SourceLocation(file: "task")
    }

    public static func load(path: String) throws -> SamplingTask {
        try load(text: try FileSystem.readText(path), file: path)
    }

    /// Parses and checks a task file, reporting every problem with file:line:column.
    public static func load(text: String, file: String) throws(DiagnosticsError) -> SamplingTask {
        let root = try YAMLNode.parse(text, file: file)
        var r = YAMLFieldReader(root, what: "the task")
        var problems: [Diagnostic] = []
        let id = r.string("id", required: true) ?? "?"
        // The id names the output directory (samples/<id>) and is part of every ticket: keep it plain.
        if !isPlainIdentifier(id) {
            problems.append(
                Diagnostic(
                    root["id"]?.location ?? root.location, "the task id '\(id)' must be letters, digits, '-', '_' or '.'",
                    hint: "e.g. SD-2025-GEN-01"))
        }
        let nameZh = r.string("name_zh") ?? id
        let nameEn = r.string("name_en") ?? id
        var publicTitle: String?
        if let title = r.string("public_title") {
            if title.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(Diagnostic(root["public_title"]!.location, "public_title must not be empty"))
            } else {
                publicTitle = title
            }
        }
        let seed = r.node("seed").flatMap { readSeed($0, &problems) }

        var items: [String] = []
        var itemLocations: [SourceLocation] = []
        if let node = r.node("items", required: true) {
            let list = node.scalarText.map { _ in [node] } ?? node.items
            for item in list {
                guard let code = item.scalarText, !code.isEmpty else {
                    problems.append(Diagnostic(item.location, "'items' must be a list of item codes from the item list"))
                    continue
                }
                if items.contains(code) {
                    problems.append(Diagnostic(item.location, "item '\(code)' is listed twice"))
                    continue
                }
                items.append(code)
                itemLocations.append(item.location)
            }
            if list.isEmpty { problems.append(Diagnostic(node.location, "'items' must name at least one inspection item")) }
        }

        let scope = r.node("scope").map { readScope($0, &problems) } ?? []
        let months = r.int("exclude_inspected_within_months")
        if let months, months < 1 || months > 120 {
            problems.append(
                Diagnostic(root["exclude_inspected_within_months"]!.location, "exclude_inspected_within_months must be from 1 to 120"))
        }

        // Read first: it decides whether a ratio of 0 is allowed.
        var exemptReason: String?
        if let text = r.string("exempt_reason") {
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(Diagnostic(root["exempt_reason"]!.location, "exempt_reason must say why, not be empty"))
            } else {
                exemptReason = text
            }
        }
        let zeroAllowed = exemptReason != nil

        let strata = readStrata(&r, node: root, default: ["class", "county"], &problems)
        let groupsNode = r.node("groups")
        if groupsNode == nil && !strata.contains("class") {
            problems.append(
                Diagnostic(
                    root["strata"]?.location ?? root.location, "strata must include 'class': ratios are per risk class"))
        }

        var ratios = defaultRatios
        if let node = r.node("ratios") {
            ratios = readRatioTable(node, zeroAllowed: zeroAllowed, &problems)
            if groupsNode != nil {
                problems.append(
                    Diagnostic(
                        node.location, "the task has groups, so ratios belong to each group",
                        hint: "move 'ratios' into the groups (e.g. the rest group)"))
            }
        }

        let rounding = readRounding(&r, node: root, default: .keyed, &problems)
        let (minimum, maximum) = readBounds(&r, node: root, defaults: (0, nil), &problems)

        var floor: Ratio?
        if let node = r.node("floor") {
            if let f = readRatio(node, what: "floor", zeroAllowed: false, &problems) { floor = f }
        }

        var groups: [SamplingGroup] = []
        if let node = groupsNode {
            let defaults = SamplingGroup.Defaults(
                strata: strata, rounding: rounding, minimum: minimum, maximum: maximum, zeroAllowed: zeroAllowed)
            if !node.isSequence || node.items.isEmpty {
                problems.append(Diagnostic(node.location, "'groups' must be a list of groups, e.g. - {id: general, rest: true, ratios: …}"))
            }
            for item in node.items {
                if let g = SamplingGroup.read(item, defaults: defaults, &problems) { groups.append(g) }
            }
            problems += groupProblems(groups, floor: floor, exemptReason: exemptReason, at: node.location)
        }
        if let floor {
            for g in groups.isEmpty ? [nil] : groups.map(Optional.some) {
                let table = g?.ratios ?? .perClass(ratios)
                if g?.isWeighted == true { continue }
                for r in table.all where r < floor && r > .zero {
                    problems.append(
                        Diagnostic(
                            g?.location ?? root["floor"]!.location,
                            "\(g.map { "group '\($0.id)'" } ?? "the task") has a ratio of \(r.percentText), below the floor \(floor.percentText)",
                            hint: "every enterprise in scope must have at least the floor: raise the ratio or lower the floor"))
                }
            }
        }
        let inspection = r.node("inspectors").map { InspectionRules.read($0, &problems) } ?? InspectionRules()

        problems = r.finish() + problems
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        var task = SamplingTask(
            id: id, nameZh: nameZh, nameEn: nameEn, strata: strata, ratios: [:], minimumPerStratum: minimum,
            maximumPerStratum: maximum, sourceText: text, seed: seed, items: items, scope: scope,
            excludeInspectedWithinMonths: months, rounding: rounding, inspection: inspection)
        task.exactRatios = ratios
        task.publicTitle = publicTitle
        task.titleLocation = root["public_title"]?.location ?? root["name_zh"]?.location
        task.groups = groups
        task.floor = floor
        task.exemptReason = exemptReason
        task.itemLocations = itemLocations
        task.location = root.location
        let tables = [root["ratios"]] + (root["groups"]?.items.map { $0["ratios"] } ?? [])
        task.ratioClasses = tables.compactMap { $0 }.flatMap { $0.pairs.map { ($0.key, $0.keyLocation) } }
        return task
    }

    /// The classes under `ratios` that are not classes of the risk model, each where it is written.
    public func unknownRatioClasses(known: [String]) -> [Diagnostic] {
        ratioClasses.filter { !known.contains($0.code) }.map { c in
            Diagnostic(
                c.location, "unknown class '\(c.code)' in ratios",
                hint: closestMatch(to: c.code, in: known).map { "did you mean '\($0)'?" } ?? "the risk model's classes: " + known.joined(separator: ", "))
        }
    }

    private static func readSeed(_ node: YAMLNode, _ problems: inout [Diagnostic]) -> TaskSeed? {
        if let text = node.scalarText {
            guard !text.isEmpty else {
                problems.append(Diagnostic(node.location, "the seed must not be empty"))
                return nil
            }
            return .literal(text)
        }
        if node["commitment"] != nil || node["committed_at"] != nil {
            var r = YAMLFieldReader(node, what: "the seed")
            let commitment = r.string("commitment", required: true)
            let at = r.string("committed_at", required: true)
            problems += r.finish()
            guard let commitment, let at else { return nil }
            guard SeedCommitment.isDigest(commitment) else {
                problems.append(
                    Diagnostic(
                        node["commitment"]!.location, "the commitment must be a SHA-256 in hex (64 digits 0-9, a-f), found '\(commitment)'",
                        hint: "write it with 'digitag sample commit TASK_FILE'"))
                return nil
            }
            guard SeedCommitment.date(at) != nil else {
                problems.append(
                    Diagnostic(node["committed_at"]!.location, "committed_at must be an ISO 8601 time such as 2025-01-10T09:30:00Z, found '\(at)'"))
                return nil
            }
            return .committed(SeedCommitment(commitment: commitment, committedAt: at))
        }
        var r = YAMLFieldReader(node, what: "the seed")
        let on = r.string("published_on", required: true)
        let nonce = r.string("nonce", required: true)
        problems += r.finish()
        guard let on, let nonce else { return nil }
        guard let day = Day(iso: on) else {
            problems.append(Diagnostic(node["published_on"]!.location, "published_on must be a date as YYYY-MM-DD, found '\(on)'"))
            return nil
        }
        guard !nonce.isEmpty else {
            problems.append(Diagnostic(node["nonce"]!.location, "the nonce must not be empty: it is what makes the seed unpredictable"))
            return nil
        }
        return .published(on: day, nonce: nonce)
    }

    private static func readScope(_ node: YAMLNode, _ problems: inout [Diagnostic]) -> [ScopeClause] {
        var r = YAMLFieldReader(node, what: "the scope")
        var clauses: [ScopeClause] = []
        func list(_ key: String) -> [(String, SourceLocation)]? {
            guard let v = r.node(key) else { return nil }
            let items = v.scalarText.map { _ in [v] } ?? v.items
            var out: [(String, SourceLocation)] = []
            for item in items {
                if let s = item.scalarText, !s.isEmpty { out.append((s, item.location)) } else {
                    problems.append(Diagnostic(item.location, "scope '\(key)' must be a list of codes"))
                }
            }
            if out.isEmpty { problems.append(Diagnostic(v.location, "scope '\(key)' is empty: it would select nothing")) }
            return out
        }
        func quoted(_ values: [String]) -> String { "[" + values.map { "'\($0)'" }.joined(separator: ", ") + "]" }

        if let regions = list("regions") {
            var counties: [String] = []
            var cities: [String] = []
            for (code, loc) in regions {
                let digits = code.allSatisfy { $0.isASCII && $0.isNumber }
                if digits && code.count == 6 { counties.append(code) } else if digits && code.count == 4 { cities.append(code) } else {
                    problems.append(Diagnostic(loc, "region '\(code)' must be a county code (6 digits) or a city code (4 digits)"))
                }
            }
            var parts: [String] = []
            if !counties.isEmpty { parts.append("region in \(quoted(counties))") }
            if !cities.isEmpty { parts.append("city in \(quoted(cities))") }
            if !parts.isEmpty {
                clauses.append(ScopeClause(name: "regions", expression: parts.joined(separator: " or "), location: node["regions"]!.location))
            }
        }
        if let industries = list("industries") {
            var sections: [String] = []
            var divisions: [String] = []
            for (code, loc) in industries {
                let u = Array(code.unicodeScalars)
                if u.count == 1, ("A"..."Z").contains(u[0]) { sections.append(code) } else if u.count == 3, ("A"..."Z").contains(u[0]),
                    u[1...].allSatisfy({ ("0"..."9").contains($0) })
                {
                    divisions.append(code)
                } else {
                    problems.append(
                        Diagnostic(loc, "industry '\(code)' must be a GB/T 4754 section (a letter, e.g. C) or division (e.g. F51)"))
                }
            }
            var parts: [String] = []
            if !sections.isEmpty { parts.append("basic.industry.section in \(quoted(sections))") }
            if !divisions.isEmpty { parts.append("basic.industry.division in \(quoted(divisions))") }
            if !parts.isEmpty {
                clauses.append(
                    ScopeClause(name: "industries", expression: parts.joined(separator: " or "), location: node["industries"]!.location))
            }
        }
        if let types = list("entity_types") {
            clauses.append(
                ScopeClause(
                    name: "entity_types", expression: "basic.entity_type in \(quoted(types.map(\.0)))",
                    location: node["entity_types"]!.location))
        }
        if let whereNode = r.node("where") {
            if let text = whereNode.scalarText, !text.isEmpty {
                clauses.append(expressionClause(name: "where", label: "scope 'where'", node: whereNode, text: text))
            } else {
                problems.append(Diagnostic(whereNode.location, "scope 'where' must be a tag expression, e.g. basic.status.operating"))
            }
        }
        problems += r.finish()
        return clauses
    }
}

/// One tag expression of a task (a scope condition, a group's rule or weight), as text with its place in the task file.
public struct ScopeClause: Sendable, Hashable {
    /// The scope key it came from: `regions`, `industries`, `entity_types` or `where`.
    public var name: String
    public var expression: String
    public var location: SourceLocation
    /// True when a character offset in `expression` is a column offset from `location` (a one-line `where`).
    public var mapsOffsets: Bool
    /// How messages name it: `scope 'where'`, `group 'shell' where`, `group 'x' weight`.
    public var label: String

    public init(name: String, expression: String, location: SourceLocation, mapsOffsets: Bool = false, label: String? = nil) {
        self.name = name
        self.expression = expression
        self.location = location
        self.mapsOffsets = mapsOffsets
        self.label = label ?? "scope '\(name)'"
    }

    /// Where the expression's character `offset` is in the task file.
    public func location(ofOffset offset: Int) -> SourceLocation {
        mapsOffsets ? location.offset(column: offset) : location
    }
}

/// Where inspector pools are drawn from, nearest first.
public enum PoolLevel: String, Sendable, CaseIterable, Comparable {
    case county, city, province

    var rank: Int { PoolLevel.allCases.firstIndex(of: self)! }
    public static func < (a: PoolLevel, b: PoolLevel) -> Bool { a.rank < b.rank }
}

/// How inspectors are matched to the drawn enterprises.
public struct InspectionRules: Sendable, Hashable {
    /// Inspectors per department per enterprise (the law asks for at least two).
    public var perDepartment: Int
    /// Pool levels, nearest first: an inspector from a nearer level is preferred to any from a farther one.
    public var pool: [PoolLevel]
    /// Avoid inspectors based in the enterprise's own county.
    public var avoidSameCounty: Bool
    /// A task-wide cap on each inspector's visits, on top of each inspector's own `max_load`.
    public var maxLoad: Int?

    public init(perDepartment: Int = 2, pool: [PoolLevel] = [.city, .province], avoidSameCounty: Bool = false, maxLoad: Int? = nil) {
        self.perDepartment = perDepartment
        self.pool = pool
        self.avoidSameCounty = avoidSameCounty
        self.maxLoad = maxLoad
    }

    static func read(_ node: YAMLNode, _ problems: inout [Diagnostic]) -> InspectionRules {
        var r = YAMLFieldReader(node, what: "the inspector rules")
        var rules = InspectionRules()
        if let n = r.int("per_department") {
            if n < 2 {
                problems.append(
                    Diagnostic(node["per_department"]!.location, "per_department must be at least 2: an inspection needs two officers"))
            }
            rules.perDepartment = n
        }
        if let levels = r.strings("pool") {
            var pool: [PoolLevel] = []
            for l in levels {
                guard let level = PoolLevel(rawValue: l) else {
                    problems.append(
                        Diagnostic(
                            node["pool"]!.location, "unknown pool level '\(l)'",
                            hint: "use county, city or province, nearest first"))
                    continue
                }
                pool.append(level)
            }
            if pool.isEmpty || pool != pool.sorted() || Set(pool).count != pool.count {
                problems.append(
                    Diagnostic(node["pool"]!.location, "pool must list distinct levels from nearest to farthest, e.g. [city, province]"))
            }
            rules.pool = pool
        }
        rules.avoidSameCounty = r.bool("avoid_same_county") ?? false
        if let cap = r.int("max_load") {
            if cap < 1 { problems.append(Diagnostic(node["max_load"]!.location, "max_load must be at least 1")) }
            rules.maxLoad = cap
        }
        if rules.avoidSameCounty && rules.pool == [.county] {
            problems.append(
                Diagnostic(
                    node.location, "avoid_same_county with pool [county] leaves no inspector", hint: "use pool: [city, province]"))
        }
        problems += r.finish()
        return rules
    }
}
