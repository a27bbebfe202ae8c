import DigiTagBase

/// How a value of the tag language is represented in the generated SQL.
///
/// The engine keeps booleans, numbers and dates all as `Double`; SQL needs real types, so every
/// translated expression says which one it produced.
enum SQLKind: Equatable {
    /// BOOLEAN.
    case bool
    /// DOUBLE or an integer type.
    case number
    /// DATE.
    case date
    /// A date as a number of days since 1970-01-01. Only where arithmetic could give a fraction of a day
    /// (`date + x / 2`), which a DATE cannot hold but the engine's `Double` days can.
    case dayNumber
    /// VARCHAR.
    case category

    var isDate: Bool { self == .date || self == .dayNumber }

    /// The kind of a value of a tag-language type.
    init(_ type: ValueType) {
        switch type {
        case .bool: self = .bool
        case .number: self = .number
        case .date: self = .date
        case .category: self = .category
        }
    }
}

/// One translated expression: its SQL text, its kind, and whether it can be NULL.
///
/// Knowing which expressions can be NULL keeps the query readable: only those comparisons are wrapped in
/// `coalesce(…, FALSE)`, the engine's "a comparison with an empty value is false".
struct SQLTerm {
    var sql: String
    /// `nil` for a bare number literal: `true` and `false`, a date compared with `'2024-01-01'` and a
    /// plain number all compile to the same `PlanNode.number`, so its kind comes from where it is used.
    var kind: SQLKind?
    /// The value of a bare number literal.
    var literal: Double?
    var nullable: Bool
    /// Known to hold whole numbers (a count, a year, days between dates), so it needs no truncation where
    /// an integer is required.
    var integral: Bool

    init(_ sql: String, _ kind: SQLKind, nullable: Bool, integral: Bool = false) {
        self.sql = sql
        self.kind = kind
        self.literal = nil
        self.nullable = nullable
        self.integral = integral
    }

    static func literal(_ v: Double) -> SQLTerm {
        var t = SQLTerm(SQLSyntax.number(v), .number, nullable: v.isNaN, integral: v == v.rounded())
        t.kind = nil
        t.literal = v
        return t
    }

    var isLiteral: Bool { kind == nil }
    var isDate: Bool { kind?.isDate ?? false }
    /// A literal that can be added to a DATE without leaving DATE arithmetic.
    var isWholeLiteral: Bool { literal.map { $0 == $0.rounded() && Swift.abs($0) < 1e9 } ?? false }

    /// The value as a condition: never NULL, because the engine's booleans are never empty. (The type
    /// checker lets only booleans be conditions; anything else reads as "non-zero".)
    var condition: String {
        switch kind {
        case nil: return (literal ?? 0) != 0 ? "TRUE" : "FALSE"
        case .bool: return nullable ? "coalesce(\(sql), FALSE)" : sql
        default: return "coalesce(\(sql) <> 0, FALSE)"
        }
    }

    /// The value as a number.
    var number: String { kind == .bool ? "CAST(\(sql) AS INTEGER)" : sql }

    /// The value as a DATE; a fractional day number is truncated toward zero as the engine's `Day(Int32(v))` does.
    func date(_ dialect: SQLDialect) -> String {
        switch kind {
        case nil:
            // Clamped first: converting a huge Double to an integer would trap.
            let days = Swift.min(Swift.max((literal ?? 0).rounded(.towardZero), Double(Int32.min)), Double(Int32.max))
            return SQLSyntax.date(Day(Int32(days)))
        case .dayNumber: return dialect.date(fromDayNumber: sql)
        default: return sql
        }
    }

    /// The value as a number of days since 1970-01-01.
    func days(_ dialect: SQLDialect) -> String { kind == .date ? dialect.dayNumber(sql) : sql }

    /// The value spelled as `kind`, keeping NULL as NULL (unlike `condition`).
    func spelled(as kind: SQLKind, _ dialect: SQLDialect) -> String {
        switch kind {
        case .bool: return isLiteral ? condition : sql
        case .date: return date(dialect)
        case .dayNumber: return days(dialect)
        case .number: return number
        case .category: return sql
        }
    }

    /// The one kind two operands are compared, chosen or merged as: a literal takes the other side's kind,
    /// DATEs stay DATEs unless a day number is involved, and two literals are numbers (or `fallback`).
    static func commonKind(_ a: SQLTerm, _ b: SQLTerm, fallback: SQLKind = .number) -> SQLKind {
        let kinds = [a, b].compactMap(\.kind)
        if kinds.isEmpty { return fallback }
        if kinds.contains(.bool) { return .bool }
        if kinds.contains(.category) { return .category }
        if kinds.contains(where: \.isDate) {
            let exactDates = [a, b].allSatisfy { $0.kind == .date || ($0.isLiteral && $0.isWholeLiteral) }
            return exactDates ? .date : .dayNumber
        }
        return .number
    }
}
