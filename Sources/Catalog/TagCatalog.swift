import DataContract
import DigiTagBase

/// A tag ready to evaluate: its definition, its plan, and what it depends on.
public struct CompiledTag: Sendable {
    public var definition: TagDefinition
    public var plan: PlanNode
    public var type: ValueType
    /// Tag ids this tag reads.
    public var dependencies: [String]
    /// Sources this tag aggregates over (directly).
    public var sources: [String]

    public var id: String { definition.id }
    public var isCategorical: Bool { type.isCategory }
}

/// The compiled catalog: every tag checked and planned, in file order, plus an evaluation order.
///
/// Immutable and `Sendable`: built once before any data is read, then shared by all shard workers.
public struct TagCatalog: Sendable {
    public let sources: SourceCatalog
    public let vocabulary: Vocabulary
    public let tags: [CompiledTag]
    /// Indices into `tags` such that every tag comes after the tags it reads.
    public let evaluationOrder: [Int]
    public let indexByID: [String: Int]
    /// The distinct `peers_count` conditions of all tags, in first-use order: a run totals each per person.
    public let peerConditions: [PlanNode]
    /// The registration field that links an enterprise to its peers (its legal representative).
    public static let peerKeyField = "legal_rep_id"

    public func tag(_ id: String) -> CompiledTag? { indexByID[id].map { tags[$0] } }

    /// An expression compiler that sees every tag of this catalog (for risk rules, tasks and queries).
    public func expressionCompiler() -> ExpressionCompiler {
        var scope: [String: (index: Int, type: ValueType)] = [:]
        for (i, t) in tags.enumerated() { scope[t.id] = (i, t.type) }
        return ExpressionCompiler(sources: sources, vocabulary: vocabulary, tagScope: scope)
    }

    /// Loads and compiles tag files. Throws every problem found, each with file:line:column.
    public static func compile(files: [String], sources: SourceCatalog) throws(DiagnosticsError) -> TagCatalog {
        var loader = CatalogLoader()
        for f in files { loader.load(file: f) }
        return try compile(definitions: loader.definitions, loadDiagnostics: loader.diagnostics, sources: sources)
    }

    public static func compile(
        definitions: [TagDefinition], loadDiagnostics: [Diagnostic] = [], sources: SourceCatalog
    ) throws(DiagnosticsError) -> TagCatalog {
        var diagnostics = loadDiagnostics
        // 1. Unique ids.
        var firstByID: [String: TagDefinition] = [:]
        var defs: [TagDefinition] = []
        for d in definitions {
            if let first = firstByID[d.id] {
                diagnostics.append(
                    Diagnostic(d.location, "duplicate tag id '\(d.id)'", hint: "first defined at \(first.location)"))
                continue
            }
            if Parser.keywords.contains(d.id) || d.id.hasPrefix("reg.") {
                diagnostics.append(Diagnostic(d.location, "'\(d.id)' is reserved and cannot be a tag id"))
                continue
            }
            firstByID[d.id] = d
            defs.append(d)
        }
        // 2. Parse every expression.
        var parsed: [Expr?] = []
        for d in defs {
            do { parsed.append(try Parser.parse(d.expression)) } catch {
                diagnostics.append(Diagnostic(d.location(ofOffset: error.offset), "in tag '\(d.id)': \(error.message)", hint: error.hint))
                parsed.append(nil)
            }
        }
        let index = Dictionary(uniqueKeysWithValues: defs.enumerated().map { ($1.id, $0) })
        // 3. Dependencies by name, then a topological order; cycles are reported with their path.
        var deps = [[Int]](repeating: [], count: defs.count)
        for (i, e) in parsed.enumerated() {
            guard let e else { continue }
            deps[i] = Set(names(in: e).compactMap { index[$0] }).sorted()
        }
        var order: [Int] = []
        var state = [UInt8](repeating: 0, count: defs.count)  // 0 new, 1 on stack, 2 done
        var inCycle = Set<Int>()
        func visit(_ i: Int, _ stack: inout [Int]) {
            if state[i] == 2 { return }
            if state[i] == 1 {
                let cycle = stack[stack.lastIndex(of: i)!...] + [i]
                if !inCycle.contains(i) {
                    diagnostics.append(
                        Diagnostic(
                            defs[i].location, "tags depend on each other in a cycle: " + cycle.map { defs[$0].id }.joined(separator: " → "),
                            hint: "a tag cannot use itself, directly or through others"))
                }
                inCycle.formUnion(cycle)
                return
            }
            state[i] = 1
            stack.append(i)
            for d in deps[i] { visit(d, &stack) }
            stack.removeLast()
            state[i] = 2
            order.append(i)
        }
        for i in defs.indices {
            var stack: [Int] = []
            visit(i, &stack)
        }
        // 4. Type check in dependency order, so a tag's type is known before it is read.
        var compiler = ExpressionCompiler(sources: sources, vocabulary: ExpressionCompiler.baseVocabulary(sources), tagScope: [:])
        var compiled = [CompiledTag?](repeating: nil, count: defs.count)
        for i in order {
            guard let e = parsed[i], !inCycle.contains(i) else { continue }
            let d = defs[i]
            do {
                let (plan, type) = try compiler.compile(e)
                guard d.kind.accepts(type) else {
                    diagnostics.append(
                        Diagnostic(
                            d.expressionLocation.offset(column: d.expressionColumnShift),
                            "tag '\(d.id)' is declared \(d.kind.rawValue) but its expression gives a \(type)",
                            hint: hintForKind(d.kind, type)))
                    continue
                }
                compiled[i] = CompiledTag(
                    definition: d, plan: plan, type: type, dependencies: compiler.referencedTags.sorted(),
                    sources: compiler.referencedSources.sorted())
                compiler.tagScope[d.id] = (i, type)
            } catch {
                if let missing = names(in: e).first(where: { index[$0] != nil && compiled[index[$0]!] == nil && compiler.tagScope[$0] == nil }) {
                    diagnostics.append(
                        Diagnostic(d.location, "tag '\(d.id)' uses '\(missing)', which has errors of its own", severity: .error))
                    continue
                }
                diagnostics.append(Diagnostic(d.location(ofOffset: error.offset), "in tag '\(d.id)': \(error.message)", hint: error.hint))
            }
        }
        let errors = diagnostics.filter { $0.severity == .error }
        if !errors.isEmpty { throw DiagnosticsError(diagnostics) }
        var vocabulary = compiler.vocabulary
        vocabulary.seal()
        let tags = compiled.map { $0! }
        var peerConditions: [PlanNode] = []
        for i in order {
            for c in tags[i].plan.peerConditions where !peerConditions.contains(c) { peerConditions.append(c) }
        }
        // A condition must be computable in the first pass: it may not read a tag that itself uses peers_count.
        let byID = Dictionary(uniqueKeysWithValues: tags.enumerated().map { ($1.id, $0) })
        for t in tags where !t.plan.peerConditions.isEmpty {
            var stack = t.plan.peerConditions.flatMap { Array($0.tagIndices) }
            var seen = Set<Int>()
            while let i = stack.popLast() {
                guard seen.insert(i).inserted else { continue }
                if !tags[i].plan.peerConditions.isEmpty {
                    throw DiagnosticsError([
                        Diagnostic(
                            t.definition.location,
                            "tag '\(t.id)' counts peers by '\(tags[i].id)', which itself uses peers_count(…)",
                            hint: "peers are counted in one pass over tags that do not look at peers")
                    ])
                }
                stack += tags[i].dependencies.compactMap { byID[$0] }
            }
        }
        if !peerConditions.isEmpty && sources.entitySource.field(peerKeyField) == nil {
            throw DiagnosticsError([
                Diagnostic(sources.entitySource.location, "peers_count(…) needs the registration field '\(peerKeyField)'")
            ])
        }
        return TagCatalog(
            sources: sources, vocabulary: vocabulary, tags: tags, evaluationOrder: order,
            indexByID: Dictionary(uniqueKeysWithValues: tags.enumerated().map { ($1.id, $0) }), peerConditions: peerConditions)
    }

    private static func hintForKind(_ kind: TagKind, _ type: ValueType) -> String {
        switch (kind, type) {
        case (.boolean, .number): return "compare it, e.g. '… > 0', or declare the tag numeric"
        case (.numeric, .bool): return "declare the tag boolean"
        case (_, .category): return "declare the tag categorical"
        default: return "declare the tag \(type)"
        }
    }

    /// Every dotted name an expression mentions outside aggregates (candidate tag references).
    static func names(in e: Expr) -> [String] {
        switch e {
        case .name(let n, _): return [n]
        case .unary(_, let a, _), .isNull(let a, _, _): return names(in: a)
        case .binary(_, let a, let b, _): return names(in: a) + names(in: b)
        case .inList(let a, let items, _, _): return names(in: a) + items.flatMap(names(in:))
        case .call(_, let args, _), .list(let args, _): return args.flatMap(names(in:))
        case .aggregate, .number, .string, .bool, .null, .asOf: return []
        }
    }
}
