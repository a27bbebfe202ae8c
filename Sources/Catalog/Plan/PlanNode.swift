/// A resolved, typed expression: what the engine evaluates, column by column, over a shard.
///
/// Numbers, booleans (0/1) and dates (days since 1970) are `Double` columns with NaN for empty;
/// categories are `Int32` columns of vocabulary codes with -1 for empty. `isCategorical` on each
/// producing node tells the engine which of the two a node yields.
public indirect enum PlanNode: Sendable, Hashable {
    case number(Double)
    case code(Int32)
    case asOf
    /// A column of the registration (entity) source, by field index.
    case entityField(Int, categorical: Bool)
    /// A field of the source being aggregated (inside a `where`), by field index.
    case recordField(Int, categorical: Bool)
    /// Another tag's values, by index in the catalog.
    case tag(Int, categorical: Bool)
    case negate(PlanNode)
    case not(PlanNode)
    case arithmetic(BinaryOperator, PlanNode, PlanNode)
    /// Comparison; with null on either side the result is false.
    case compare(BinaryOperator, PlanNode, PlanNode, categorical: Bool)
    case logical(BinaryOperator, PlanNode, PlanNode)
    case inNumbers(PlanNode, [Double], negated: Bool)
    case inCodes(PlanNode, [Int32], negated: Bool)
    case isNull(PlanNode, negated: Bool, categorical: Bool)
    case function(ScalarFunction, [PlanNode])
    /// `band(x, edges, labels)`: label i where edges[i-1] <= x < edges[i].
    case band(PlanNode, edges: [Double], labels: [Int32])
    case ifThen(PlanNode, PlanNode, PlanNode, categorical: Bool)
    case coalesce(PlanNode, PlanNode, categorical: Bool)
    /// Maps category codes through a table (region → city, industry → section).
    case mapCodes(PlanNode, table: [Int32])
    case aggregate(AggregatePlan)
    /// `peers_count(condition)`: how many *other* enterprises with the same legal representative satisfy
    /// `condition` (an expression over tags). Evaluated from per-person totals computed in a first pass.
    case peerCount(PlanNode)

    public var isCategorical: Bool {
        switch self {
        case .code, .band, .mapCodes: return true
        case .entityField(_, let c), .recordField(_, let c), .tag(_, let c), .ifThen(_, _, _, let c), .coalesce(_, _, let c):
            return c
        case .aggregate(let a): return a.resultIsCategorical
        default: return false
        }
    }
}

/// Scalar functions over numbers and dates.
public enum ScalarFunction: String, Sendable, Hashable, CaseIterable {
    case abs, floor, round, min, max, ratio, year, month
    /// `date(y, m, d)`: a date from its parts (empty if they are not a real date).
    case date
}

/// An aggregate over one source's records of each enterprise.
public struct AggregatePlan: Sendable, Hashable {
    public var function: AggregateFunction
    public var source: Int
    public var field: Int?
    public var filter: PlanNode?
    public var windowDays: Int?
    /// Field index of the source's event date: windows and `latest`/`earliest` order by it.
    public var eventField: Int
    public var resultIsCategorical: Bool

    public init(
        function: AggregateFunction, source: Int, field: Int?, filter: PlanNode?, windowDays: Int?, eventField: Int,
        resultIsCategorical: Bool
    ) {
        self.function = function
        self.source = source
        self.field = field
        self.filter = filter
        self.windowDays = windowDays
        self.eventField = eventField
        self.resultIsCategorical = resultIsCategorical
    }
}

extension PlanNode {
    /// True when the expression reads nothing but tags and constants (no records, no registration fields).
    public var readsOnlyTags: Bool {
        switch self {
        case .number, .code, .asOf, .tag: return true
        case .entityField, .recordField, .aggregate, .peerCount: return false
        case .negate(let a), .not(let a), .inNumbers(let a, _, _), .inCodes(let a, _, _), .isNull(let a, _, _),
            .band(let a, _, _), .mapCodes(let a, _):
            return a.readsOnlyTags
        case .arithmetic(_, let a, let b), .compare(_, let a, let b, _), .logical(_, let a, let b), .coalesce(let a, let b, _):
            return a.readsOnlyTags && b.readsOnlyTags
        case .ifThen(let c, let a, let b, _): return c.readsOnlyTags && a.readsOnlyTags && b.readsOnlyTags
        case .function(_, let args): return args.allSatisfy(\.readsOnlyTags)
        }
    }

    /// Tag indices the expression reads.
    public var tagIndices: Set<Int> {
        switch self {
        case .tag(let i, _): return [i]
        case .number, .code, .asOf, .entityField, .recordField: return []
        case .aggregate(let a): return a.filter?.tagIndices ?? []
        case .peerCount(let a): return a.tagIndices
        case .negate(let a), .not(let a), .inNumbers(let a, _, _), .inCodes(let a, _, _), .isNull(let a, _, _),
            .band(let a, _, _), .mapCodes(let a, _):
            return a.tagIndices
        case .arithmetic(_, let a, let b), .compare(_, let a, let b, _), .logical(_, let a, let b), .coalesce(let a, let b, _):
            return a.tagIndices.union(b.tagIndices)
        case .ifThen(let c, let a, let b, _): return c.tagIndices.union(a.tagIndices).union(b.tagIndices)
        case .function(_, let args): return args.reduce(into: Set<Int>()) { $0.formUnion($1.tagIndices) }
        }
    }
}

extension PlanNode {
    /// Every `peers_count` condition inside the expression, outermost first.
    public var peerConditions: [PlanNode] {
        switch self {
        case .peerCount(let c): return [c]
        case .number, .code, .asOf, .tag, .entityField, .recordField, .aggregate: return []
        case .negate(let a), .not(let a), .inNumbers(let a, _, _), .inCodes(let a, _, _), .isNull(let a, _, _),
            .band(let a, _, _), .mapCodes(let a, _):
            return a.peerConditions
        case .arithmetic(_, let a, let b), .compare(_, let a, let b, _), .logical(_, let a, let b), .coalesce(let a, let b, _):
            return a.peerConditions + b.peerConditions
        case .ifThen(let c, let a, let b, _): return c.peerConditions + a.peerConditions + b.peerConditions
        case .function(_, let args): return args.flatMap(\.peerConditions)
        }
    }
}

extension PlanNode {
    /// Record sources the expression aggregates over (not counting tags it reads).
    public var recordSources: Set<Int> {
        switch self {
        case .number, .code, .asOf, .tag, .entityField, .recordField: return []
        case .aggregate(let a): return Set([a.source]).union(a.filter?.recordSources ?? [])
        case .peerCount(let a): return a.recordSources
        case .negate(let a), .not(let a), .inNumbers(let a, _, _), .inCodes(let a, _, _), .isNull(let a, _, _),
            .band(let a, _, _), .mapCodes(let a, _):
            return a.recordSources
        case .arithmetic(_, let a, let b), .compare(_, let a, let b, _), .logical(_, let a, let b), .coalesce(let a, let b, _):
            return a.recordSources.union(b.recordSources)
        case .ifThen(let c, let a, let b, _): return c.recordSources.union(a.recordSources).union(b.recordSources)
        case .function(_, let args): return args.reduce(into: Set<Int>()) { $0.formUnion($1.recordSources) }
        }
    }
}
