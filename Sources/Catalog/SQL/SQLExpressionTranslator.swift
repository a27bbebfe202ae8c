import DigiTagBase

/// Translates one compiled expression (`PlanNode`) into a DuckDB expression with the engine's semantics.
///
/// `TagEvaluator` is the reference: a comparison with an empty value is false, `in` with an empty value is
/// false, booleans are never empty, arithmetic propagates empty, division by zero is empty, `min`/`max`
/// of two values are empty if either is, `date(y, m, d)` is empty when not a real date. DuckDB differs on
/// most of these (three-valued logic, `least` ignoring NULL, `1/0` = infinity, `make_date` raising an
/// error), so each is spelled out here rather than left to SQL's defaults.
struct SQLExpressionTranslator {
    let catalog: TagCatalog
    let asOf: Day
    let scope: SQLScope
    var dialect: SQLDialect = .duckdb

    /// Translates `node`. `hint` is the kind expected here, which decides what a bare `1` or `0` means.
    func translate(_ node: PlanNode, hint: SQLKind? = nil) -> SQLTerm {
        switch node {
        case .number(let v):
            let term = SQLTerm.literal(v)
            guard let hint else { return term }
            let kind = hint == .date && !term.isWholeLiteral ? .dayNumber : hint
            return SQLTerm(term.spelled(as: kind, dialect), kind, nullable: false, integral: term.integral)
        case .code(let c):
            return SQLTerm(dialect.string(catalog.vocabulary.text(c) ?? ""), .category, nullable: false)
        case .asOf:
            return SQLTerm(SQLSyntax.date(asOf), .date, nullable: false)
        case .entityField(let i, _):
            return column(scope.entityColumns[i], "registration field \(i)")
        case .recordField(let i, _):
            return column(scope.recordColumns[i], "record field \(i)")
        case .tag(let i, _):
            return column(scope.tagColumns[i], "tag \(catalog.tags[i].id)")
        case .negate(let a):
            let x = translate(a)
            if let v = x.literal { return .literal(-v) }
            return SQLTerm("(- \(x.number))", .number, nullable: x.nullable, integral: x.integral)
        case .not(let a):
            return SQLTerm("(NOT \(translate(a, hint: .bool).condition))", .bool, nullable: false)
        case .arithmetic(let op, let a, let b):
            return arithmetic(op, translate(a), translate(b))
        case .compare(let op, let a, let b, _):
            return compare(op, translate(a), translate(b))
        case .logical(let op, let a, let b):
            let word = op == .and ? "AND" : "OR"
            let x = translate(a, hint: .bool)
            let y = translate(b, hint: .bool)
            return SQLTerm("(\(x.condition) \(word) \(y.condition))", .bool, nullable: false)
        case .inNumbers(let a, let values, let negated):
            return membership(translate(a, hint: .number), values.map(SQLSyntax.number), negated: negated)
        case .inCodes(let a, let codes, let negated):
            let texts = codes.map { dialect.string(catalog.vocabulary.text($0) ?? "") }
            return membership(translate(a, hint: .category), texts, negated: negated)
        case .isNull(let a, let negated, _):
            let x = translate(a)
            guard x.nullable else { return SQLTerm(negated ? "TRUE" : "FALSE", .bool, nullable: false) }
            return SQLTerm("(\(x.sql) IS \(negated ? "NOT " : "")NULL)", .bool, nullable: false)
        case .function(let fn, let args):
            return function(fn, args.map { translate($0) }, hint: hint)
        case .band(let a, let edges, let labels):
            return band(translate(a, hint: .number), edges: edges, labels: labels)
        case .ifThen(let c, let a, let b, _):
            let condition = translate(c, hint: .bool).condition
            let ta = translate(a, hint: hint)
            let tb = translate(b, hint: hint)
            let (x, y, kind) = unify(ta, tb, hint: hint)
            return SQLTerm(
                "CASE WHEN \(SQLSyntax.unwrapped(condition)) THEN \(x) ELSE \(y) END", kind, nullable: ta.nullable || tb.nullable,
                integral: ta.integral && tb.integral)
        case .coalesce(let a, let b, _):
            let ta = translate(a, hint: hint)
            let tb = translate(b, hint: hint)
            guard ta.nullable else { return ta }
            let (x, y, kind) = unify(ta, tb, hint: hint)
            return SQLTerm("coalesce(\(x), \(y))", kind, nullable: tb.nullable, integral: ta.integral && tb.integral)
        case .mapCodes(let a, let table):
            if let hoisted = scope.mappedColumns[node] { return hoisted }
            let map = SQLCodeMap(table: table, vocabulary: catalog.vocabulary, sources: catalog.sources)
            return SQLTerm(map.caseExpression(translate(a, hint: .category).sql, dialect), .category, nullable: true)
        case .peerCount(let condition):
            guard let key = scope.peerKey else {
                preconditionFailure("SQLGenerator projects the peer key whenever a tag uses peers_count")
            }
            // Enterprises of the same legal representative meeting the condition, less the enterprise itself.
            let own = "CAST(\(SQLSyntax.unwrapped(translate(condition, hint: .bool).condition)) AS INTEGER)"
            return SQLTerm("(sum(\(own)) OVER (PARTITION BY \(SQLSyntax.identifier(key))) - \(own))", .number, nullable: false, integral: true)
        case .aggregate(let plan):
            guard let term = scope.aggregateColumns[plan] else {
                preconditionFailure("SQLGenerator joins every aggregate before translating the tags that read it")
            }
            return term
        }
    }

    private func column(_ term: SQLTerm?, _ what: String) -> SQLTerm {
        guard let term else { preconditionFailure("SQLGenerator did not provide a column for \(what)") }
        return term
    }

    /// The two branches of `if`/`coalesce` spelled as one kind.
    private func unify(_ a: SQLTerm, _ b: SQLTerm, hint: SQLKind?) -> (String, String, SQLKind) {
        let kind = SQLTerm.commonKind(a, b, fallback: hint ?? .number)
        return (a.spelled(as: kind, dialect), b.spelled(as: kind, dialect), kind)
    }

    /// Numbers and dates: a date minus a date is days, a date plus or minus days is a date.
    private func arithmetic(_ op: BinaryOperator, _ a: SQLTerm, _ b: SQLTerm) -> SQLTerm {
        let nullable = a.nullable || b.nullable
        if let x = a.literal, let y = b.literal {
            // Folded here with the engine's Double arithmetic, so `1 / 3` cannot become integer division.
            switch op {
            case .add: return .literal(x + y)
            case .subtract: return .literal(x - y)
            case .multiply: return .literal(x * y)
            case .divide where y != 0: return .literal(x / y)
            default: return SQLTerm("CAST(NULL AS DOUBLE)", .number, nullable: true)
            }
        }
        let symbol = op.rawValue
        if a.isDate && b.isDate {
            if a.kind == .date && b.kind == .date {
                return SQLTerm(dialect.daysBetween(a.sql, b.sql), .number, nullable: nullable, integral: true)
            }
            return SQLTerm("(\(a.days(dialect)) - \(b.days(dialect)))", .number, nullable: nullable)
        }
        if a.isDate || b.isDate {
            let (date, offset) = a.isDate ? (a, b) : (b, a)
            if date.kind == .date && offset.isWholeLiteral {
                if dialect == .duckdb || (!a.isDate && op != .add) {
                    let left = a.isDate ? a.sql : offset.number
                    let right = a.isDate ? offset.number : b.sql
                    return SQLTerm("(\(left) \(symbol) \(right))", .date, nullable: nullable)
                }
                return SQLTerm(dialect.addDays(date.sql, op == .add ? "+" : "-", offset.number), .date, nullable: nullable)
            }
            let left = a.isDate ? a.days(dialect) : a.number
            let right = a.isDate ? b.number : b.days(dialect)
            return SQLTerm("(\(left) \(symbol) \(right))", .dayNumber, nullable: nullable)
        }
        if op == .divide {
            if let y = b.literal, y != 0 { return SQLTerm("(\(a.number) / \(b.number))", .number, nullable: nullable) }
            return SQLTerm("(\(a.number) / nullif(\(b.number), 0))", .number, nullable: true)
        }
        return SQLTerm("(\(a.number) \(symbol) \(b.number))", .number, nullable: nullable, integral: a.integral && b.integral)
    }

    /// A comparison; with NULL on either side it is false, not NULL.
    private func compare(_ op: BinaryOperator, _ a: SQLTerm, _ b: SQLTerm) -> SQLTerm {
        let kind = SQLTerm.commonKind(a, b)
        let symbol: String
        switch op {
        case .equal: symbol = "="
        case .notEqual: symbol = "<>"
        default: symbol = op.rawValue
        }
        let sql = "\(a.spelled(as: kind, dialect)) \(symbol) \(b.spelled(as: kind, dialect))"
        return SQLTerm(a.nullable || b.nullable ? "coalesce(\(sql), FALSE)" : "(\(sql))", .bool, nullable: false)
    }

    /// `x in [...]` and `x not in [...]`: false when x is NULL, either way.
    private func membership(_ x: SQLTerm, _ items: [String], negated: Bool) -> SQLTerm {
        guard !items.isEmpty else {
            let sql = negated ? (x.nullable ? "(\(x.sql) IS NOT NULL)" : "TRUE") : "FALSE"
            return SQLTerm(sql, .bool, nullable: false)
        }
        let sql = "\(x.sql) \(negated ? "NOT IN" : "IN") (\(items.joined(separator: ", ")))"
        return SQLTerm(x.nullable ? "coalesce(\(sql), FALSE)" : "(\(sql))", .bool, nullable: false)
    }

    /// `band(x, [e1, …], [l0, …])`: label i where e(i) <= x < e(i+1); NULL x gives NULL.
    private func band(_ x: SQLTerm, edges: [Double], labels: [Int32]) -> SQLTerm {
        let text = labels.map { dialect.string(catalog.vocabulary.text($0) ?? "") }
        var sql = "CASE"
        for (edge, label) in zip(edges, text) { sql += " WHEN \(x.number) < \(SQLSyntax.number(edge)) THEN \(label)" }
        let last = text.last ?? "NULL"
        sql += x.nullable ? " WHEN \(x.sql) IS NOT NULL THEN \(last) END" : " ELSE \(last) END"
        return SQLTerm(sql, .category, nullable: x.nullable)
    }

    private func function(_ fn: ScalarFunction, _ args: [SQLTerm], hint: SQLKind?) -> SQLTerm {
        let nullable = args.contains { $0.nullable }
        switch fn {
        case .abs, .floor, .round:
            // DuckDB's round on a DOUBLE rounds half away from zero, as the engine does.
            let integral = fn != .abs || args[0].integral
            return SQLTerm("\(fn.rawValue)(\(SQLSyntax.unwrapped(args[0].number)))", .number, nullable: nullable, integral: integral)
        case .min, .max:
            let kind = SQLTerm.commonKind(args[0], args[1], fallback: hint ?? .number)
            let (a, b) = (args[0].spelled(as: kind, dialect), args[1].spelled(as: kind, dialect))
            let call = "\(fn == .min ? "least" : "greatest")(\(SQLSyntax.unwrapped(a)), \(SQLSyntax.unwrapped(b)))"
            let integral = args[0].integral && args[1].integral
            // least/greatest skip NULLs; the engine's min(a, b) is empty when either is.
            guard nullable else { return SQLTerm(call, kind, nullable: false, integral: integral) }
            return SQLTerm("CASE WHEN \(a) IS NULL OR \(b) IS NULL THEN NULL ELSE \(call) END", kind, nullable: true, integral: integral)
        case .ratio:
            let (part, whole, fallback) = (args[0], args[1], args[2])
            if let w = whole.literal {
                return w == 0 ? SQLTerm(fallback.number, .number, nullable: fallback.nullable)
                    : SQLTerm("(\(part.number) / \(whole.number))", .number, nullable: part.nullable)
            }
            // An empty whole gives an empty ratio; only a zero one gives the fallback.
            let empty = whole.nullable ? "WHEN \(whole.number) IS NULL THEN NULL " : ""
            return SQLTerm(
                "CASE \(empty)WHEN \(whole.number) = 0 THEN \(fallback.number) ELSE \(part.number) / \(whole.number) END", .number,
                nullable: part.nullable || fallback.nullable || whole.nullable)
        case .year, .month:
            return SQLTerm("\(fn.rawValue)(\(SQLSyntax.unwrapped(args[0].date(dialect))))", .number, nullable: nullable, integral: true)
        case .date:
            return makeDate(args[0], args[1], args[2])
        }
    }

    /// `date(y, m, d)`: NULL unless a real date. The engine truncates each part toward zero and accepts
    /// years of up to four digits; DuckDB's make_date raises an error on an invalid date, hence `try`.
    private func makeDate(_ y: SQLTerm, _ m: SQLTerm, _ d: SQLTerm) -> SQLTerm {
        func part(_ t: SQLTerm) -> String {
            t.integral ? SQLSyntax.unwrapped(t.number) : dialect.truncatedInteger(SQLSyntax.unwrapped(t.number))
        }
        let call = dialect.makeDate(part(y), part(m), part(d))
        if let year = y.literal {
            return Swift.abs(year) < 10000 ? SQLTerm(call, .date, nullable: true) : SQLTerm("CAST(NULL AS DATE)", .date, nullable: true)
        }
        return SQLTerm("CASE WHEN abs(\(SQLSyntax.unwrapped(y.number))) < 10000 THEN \(call) END", .date, nullable: true)
    }
}
