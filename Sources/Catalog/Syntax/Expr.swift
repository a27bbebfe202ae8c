/// The syntax tree of an expression, before names are resolved or types checked.
public indirect enum Expr: Sendable, Equatable {
    case number(Double, at: Int)
    case string(String, at: Int)
    case bool(Bool, at: Int)
    case null(at: Int)
    case asOf(at: Int)
    /// A tag id, `reg.<field>`, or (inside a `where`) a field of the aggregated source.
    case name(String, at: Int)
    case unary(UnaryOperator, Expr, at: Int)
    case binary(BinaryOperator, Expr, Expr, at: Int)
    case inList(Expr, [Expr], negated: Bool, at: Int)
    case isNull(Expr, negated: Bool, at: Int)
    case call(String, [Expr], at: Int)
    /// `[a, b, c]`: the list argument of `band(…)`.
    case list([Expr], at: Int)
    case aggregate(AggregateExpr)

    public var offset: Int {
        switch self {
        case .number(_, let at), .string(_, let at), .bool(_, let at), .null(let at), .asOf(let at), .name(_, let at),
            .unary(_, _, let at), .binary(_, _, _, let at), .inList(_, _, _, let at), .isNull(_, _, let at),
            .call(_, _, let at), .list(_, let at):
            return at
        case .aggregate(let a): return a.offset
        }
    }
}

public enum UnaryOperator: String, Sendable { case negate = "-", not }

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
    case and, or

    public var isComparison: Bool {
        switch self {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: return true
        default: return false
        }
    }
    public var isArithmetic: Bool {
        switch self {
        case .add, .subtract, .multiply, .divide: return true
        default: return false
        }
    }
}

/// The aggregate functions over an enterprise's records.
public enum AggregateFunction: String, Sendable, CaseIterable {
    case count, exists, sum, avg, min, max, latest, earliest, distinct
    case daysSince = "days_since"

    /// True where the function needs a field (`sum(penalties.amount)`), false where a source suffices.
    public var needsField: Bool {
        switch self {
        case .count, .exists, .daysSince: return false
        default: return true
        }
    }
}

/// `fn(source[.field] [where condition] [within window])`.
public struct AggregateExpr: Sendable, Equatable {
    public var function: AggregateFunction
    public var source: String
    public var field: String?
    public var filter: Expr?
    /// Window in days, `nil` for all records up to the as-of date.
    public var windowDays: Int?
    public var windowText: String?
    public var offset: Int
    public var sourceOffset: Int
}

/// Parses window literals: `30d`, `6m` (30-day months), `1y` (365-day years), `all`.
public enum Window {
    public static func days(_ text: String) -> Int?? {
        if text == "all" { return .some(nil) }
        guard let unit = text.last, let n = Int(text.dropLast()), n > 0 else { return nil }
        let days: (partialValue: Int, overflow: Bool)
        switch unit {
        case "d": return n
        case "m": days = n.multipliedReportingOverflow(by: 30)
        case "y": days = n.multipliedReportingOverflow(by: 365)
        default: return nil
        }
        // `30000000000000000y` is no window (and `n * 365` would trap): the caller reports "not a window".
        return days.overflow ? nil : days.partialValue
    }
}
