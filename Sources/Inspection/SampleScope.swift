import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import RunModel
import Sampling

/// A task's expressions compiled against the pipeline's catalog: which enterprises of a run may be drawn,
/// which group each belongs to, and each weighted group's weights.
///
/// Every scope clause (`regions`, `industries`, `entity_types`, `where`, and the exclusion of recently
/// inspected enterprises) is a tag expression; all must hold. Each group's `where` is a condition and its
/// `weight` a number. Besides tags, four names from the run's `classes.csv` are in scope: `class`, `score`,
/// `region` (county code) and `city`. Registration fields (`reg.*`) and record aggregates are not: a draw
/// reads a published run, which holds tags, not records.
struct SampleScope {
    /// Nil when the task has no scope: every enterprise of the run.
    let plan: PlanNode?
    /// Per effective group: its rule (nil for the rest group).
    let groupPlans: [PlanNode?]
    /// Per effective group: its weight (nil when not weighted).
    let weightPlans: [PlanNode?]
    /// Catalog tag indices the plans read (from `tags.csv`).
    let tags: Set<Int>
    /// The compiler's vocabulary: codes of every literal in the scope.
    var vocabulary: Vocabulary
    let tagCount: Int
    /// The tag that dates an enterprise's latest inspection, used by `exclude_inspected_within_months`.
    static let lastInspectionTag = "inspection.days_since_last"

    var classIndex: Int { tagCount }
    var scoreIndex: Int { tagCount + 1 }
    var regionIndex: Int { tagCount + 2 }
    var cityIndex: Int { tagCount + 3 }

    /// The day `months` calendar months before `day` (the day of month clamped to the month's length).
    static func monthsBefore(_ day: Day, months: Int) -> Day {
        let (y, m, d) = day.civil
        let total = y * 12 + (m - 1) - months
        let year = total / 12
        let month = total % 12 + 1
        return Day(year: year, month: month, day: min(d, Day.daysIn(month: month, year: year)))!
    }

    static func compile(task: SamplingTask, definition: PipelineDefinition, asOf: Day) throws(DiagnosticsError) -> SampleScope {
        let catalog = definition.catalog
        var compiler = catalog.expressionCompiler()
        let t = catalog.tags.count
        let classes = definition.risk.classes.map(\.code)
        let regions = definition.sources.regions
        compiler.extraNames = [
            "class": (.tag(t, categorical: true), .category(name: "class", values: classes)),
            "score": (.tag(t + 1, categorical: false), .number),
            "region": (.tag(t + 2, categorical: true), .category(name: "region", values: regions.column("code"))),
            "city": (.tag(t + 3, categorical: true), .category(name: "city", values: Array(Set(regions.column("city_code"))).sorted())),
        ]
        var clauses = task.scope
        if let months = task.excludeInspectedWithinMonths {
            let days = Int(asOf.value - monthsBefore(asOf, months: months).value)
            clauses.append(
                ScopeClause(
                    name: "exclude_inspected_within_months",
                    expression: "not (\(lastInspectionTag) is not null and \(lastInspectionTag) < \(days))", location: task.location))
        }
        var problems = task.unknownRatioClasses(known: classes)
        var plan: PlanNode?
        var tags = Set<Int>()
        /// Compiles one clause; nil (and a problem) when it is wrong or not of the type asked for.
        func compile(_ clause: ScopeClause, numeric: Bool) -> PlanNode? {
            do {
                let (node, type) = try compiler.compile(try Parser.parse(clause.expression))
                if numeric {
                    guard type == .number else {
                        problems.append(
                            Diagnostic(clause.location, "\(clause.label) must be a number (e.g. score + 10), it gives a \(type)"))
                        return nil
                    }
                } else if type != .bool {
                    problems.append(Diagnostic(clause.location, "\(clause.label) must be a condition (true/false), it gives a \(type)"))
                    return nil
                }
                guard node.readsOnlyTags else {
                    problems.append(
                        Diagnostic(
                            clause.location,
                            "\(clause.label) reads registration fields (reg.*) or records, which a published run does not hold",
                            hint: "use tags (e.g. basic.entity_type, basic.industry.section) and class, score, region, city"))
                    return nil
                }
                tags.formUnion(compiler.referencedTags.compactMap { catalog.indexByID[$0] })
                return node
            } catch {
                var message = "in \(clause.label): \(error.message)"
                if !clause.mapsOffsets { message += " (from: \(clause.expression))" }
                if clause.name == "exclude_inspected_within_months" {
                    message = "exclude_inspected_within_months needs the tag \(lastInspectionTag) in the catalog: \(error.message)"
                }
                problems.append(Diagnostic(clause.location(ofOffset: error.offset), message, hint: error.hint))
                return nil
            }
        }
        for clause in clauses {
            if let node = compile(clause, numeric: false) { plan = plan.map { .logical(.and, $0, node) } ?? node }
        }
        let groups = task.effectiveGroups
        let groupPlans = groups.map { g in g.rule.flatMap { compile($0, numeric: false) } }
        let weightPlans = groups.map { g in g.weight.flatMap { compile($0, numeric: true) } }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return SampleScope(
            plan: plan, groupPlans: groupPlans, weightPlans: weightPlans, tags: tags, vocabulary: compiler.vocabulary, tagCount: t)
    }

    /// What the expressions give for every row of the run.
    struct Evaluation {
        var inScope: [Bool]
        /// Per row: index of the first group whose rule holds (the rest group's when none does), or -1.
        var group: [Int]
        /// Per row: the weight of its group's expression (1 for unweighted groups; NaN when the tag is empty).
        var weight: [Double]
    }

    /// Evaluates the scope, the groups' rules and their weights.
    ///
    /// - Parameter tagRowOf: for each row of `rows`, its row in `tagValues` (needed when a plan reads tags).
    func evaluate(rows: [ClassRow], tagValues: RunTagColumns?, tagRowOf: [Int]?, catalog: TagCatalog, asOf: Day) -> Evaluation {
        let n = rows.count
        var columns = [Column](repeating: .numbers([]), count: tagCount + 4)
        if let tagValues, let tagRowOf {
            for (t, column) in tagValues.columns {
                switch column {
                case .numbers(let v): columns[t] = .numbers(tagRowOf.map { v[$0] })
                case .codes(let v): columns[t] = .codes(tagRowOf.map { v[$0] })
                }
            }
        }
        columns[classIndex] = .codes(rows.map { vocabulary.code($0.riskClass) ?? -1 })
        columns[scoreIndex] = .numbers(rows.map { $0.score })
        columns[regionIndex] = .codes(rows.map { vocabulary.code($0.region) ?? -1 })
        columns[cityIndex] = .codes(rows.map { vocabulary.code($0.city) ?? -1 })
        let shard = ShardData(
            ordinals: 0..<n, keys: [UInt128](repeating: 0, count: n), entityNumbers: [], entityCodes: [], records: [])
        let evaluator = TagEvaluator(catalog: catalog, asOf: asOf)
        func numbers(_ plan: PlanNode) -> [Double] { evaluator.evaluate(plan, shard: shard, tags: columns).numbers }

        let inScope = plan.map { numbers($0).map { $0 != 0 } } ?? Array(repeating: true, count: n)
        var group = [Int](repeating: -1, count: n)
        for (g, rule) in groupPlans.enumerated() {
            // A rule that is null for a row (an empty tag) does not hold: `x != 0` is false for NaN too.
            let holds = rule.map { numbers($0).map { $0 != 0 && !$0.isNaN } } ?? Array(repeating: true, count: n)
            for i in 0..<n where group[i] < 0 && inScope[i] && holds[i] { group[i] = g }
        }
        var weight = [Double](repeating: 1, count: n)
        for (g, w) in weightPlans.enumerated() {
            guard let w else { continue }
            let values = numbers(w)
            for i in 0..<n where group[i] == g { weight[i] = values[i] }
        }
        return Evaluation(inScope: inScope, group: group, weight: weight)
    }
}
