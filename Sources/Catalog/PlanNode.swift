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
