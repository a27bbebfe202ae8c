import DataContract
import DigiTagBase

/// Resolves names and checks types of one expression, producing a `PlanNode`.
///
/// The same compiler serves tags, risk rules, task scopes and analysts' queries: what differs is the
/// set of names in scope (`TagScope`).
public struct ExpressionCompiler {
    public let sources: SourceCatalog
    public var vocabulary: Vocabulary
    /// Tags that may be referenced: id → (index, type).
    public var tagScope: [String: (index: Int, type: ValueType)]
    /// Extra names (e.g. `class`, `score` in queries), resolved to a plan node and type.
    public var extraNames: [String: (node: PlanNode, type: ValueType)] = [:]
    /// Tag ids referenced by the last compiled expression.
    public private(set) var referencedTags: Set<String> = []
    public private(set) var referencedSources: Set<String> = []

    let entityIndex: Int
    /// Region code → city code, industry code → section: tables over vocabulary codes.
    let cityTable: [Int32]
    let sectionTable: [Int32]
    let cityValues: [String]
    let sectionValues: [String]

    public init(sources: SourceCatalog, vocabulary: Vocabulary, tagScope: [String: (index: Int, type: ValueType)]) {
        self.sources = sources
        self.vocabulary = vocabulary
        self.tagScope = tagScope
        entityIndex = sources.sources.firstIndex { $0.isEntity }!
        var vocab = vocabulary
        let regionCodes = sources.regions.column("code")
        let cities = sources.regions.column("city_code")
        let industryCodes = sources.industries.column("code")
        let sections = sources.industries.column("section")
        for c in regionCodes + cities + industryCodes + sections { vocab.intern(c) }
        var cityTable = [Int32](repeating: -1, count: 0)
        var sectionTable = [Int32](repeating: -1, count: 0)
        func set(_ table: inout [Int32], _ from: Int32, _ to: Int32) {
            if table.count <= Int(from) { table += [Int32](repeating: -1, count: Int(from) + 1 - table.count) }
            table[Int(from)] = to
        }
        for (r, c) in zip(regionCodes, cities) { set(&cityTable, vocab.code(r)!, vocab.code(c)!) }
        for (i, s) in zip(industryCodes, sections) { set(&sectionTable, vocab.code(i)!, vocab.code(s)!) }
        self.vocabulary = vocab
        self.cityTable = cityTable
        self.sectionTable = sectionTable
        var seen = Set<String>()
        cityValues = cities.filter { seen.insert($0).inserted }
        seen = []
        sectionValues = sections.filter { seen.insert($0).inserted }
    }

    /// Builds the vocabulary every compiler of a pipeline shares: all enum codes of all sources.
    public static func baseVocabulary(_ sources: SourceCatalog) -> Vocabulary {
        var v = Vocabulary()
        for s in sources.sources {
            for f in s.fields where f.type.storage == .code {
                for value in f.values { v.intern(value) }
            }
        }
        for c in sources.regions.column("city_code") { v.intern(c) }
        for c in sources.industries.column("section") { v.intern(c) }
        return v
    }

    public mutating func compile(_ expr: Expr) throws(ExpressionError) -> (PlanNode, ValueType) {
        referencedTags = []
        referencedSources = []
        return try compile(expr, record: nil)
    }

    private func fieldType(_ f: FieldSpec, source: String) -> ValueType? {
        switch f.type {
        case .date, .period: return .date
        case .integer, .amount, .number, .year: return .number
        case .flag: return .bool
        case .enum, .region, .industry: return .category(name: "\(source).\(f.name)", values: f.values)
        case .uscc, .text: return nil
        }
    }

    private mutating func compile(_ expr: Expr, record: Int?) throws(ExpressionError) -> (PlanNode, ValueType) {
        switch expr {
        case .number(let d, _): return (.number(d), .number)
        case .bool(let b, _): return (.number(b ? 1 : 0), .bool)
        case .string(let s, let at):
            throw ExpressionError(
                offset: at, message: "text '\(s)' can only be compared with a category or date",
                hint: "e.g. tax.rating == '\(s)'")
        case .null(let at):
            throw ExpressionError(offset: at, message: "null can only be tested with 'is null' / 'is not null'")
        case .asOf: return (.asOf, .date)
        case .name(let name, let at): return try resolveName(name, at: at, record: record)
        case .unary(.negate, let e, let at):
            let (n, t) = try compile(e, record: record)
            guard t == .number else { throw ExpressionError(offset: at, message: "'-' needs a number, found a \(t)") }
            return (.negate(n), .number)
        case .unary(.not, let e, let at):
            let (n, t) = try compile(e, record: record)
            guard t == .bool else {
                throw ExpressionError(offset: at, message: "'not' needs a boolean, found a \(t)")
            }
            return (.not(n), .bool)
        case .binary(let op, let l, let r, let at):
            return try compileBinary(op, l, r, at: at, record: record)
        case .inList(let e, let items, let negated, let at):
            let (n, t) = try compile(e, record: record)
            switch t {
            case .category(let name, let values):
                var codes: [Int32] = []
                for item in items {
                    guard case .string(let s, let iat) = item else {
                        throw ExpressionError(offset: item.offset, message: "the list for \(name) must hold text values")
                    }
                    codes.append(try code(for: s, in: name, values: values, at: iat))
                }
                return (.inCodes(n, codes, negated: negated), .bool)
            case .number:
                var nums: [Double] = []
                for item in items {
                    guard case .number(let d, _) = item else {
                        throw ExpressionError(offset: item.offset, message: "the list must hold numbers to match a number")
                    }
                    nums.append(d)
                }
                return (.inNumbers(n, nums, negated: negated), .bool)
            default:
                throw ExpressionError(offset: at, message: "'in' needs a category or a number on its left, found a \(t)")
            }
        case .isNull(let e, let negated, _):
            let (n, t) = try compile(e, record: record)
            return (.isNull(n, negated: negated, categorical: t.isCategory), .bool)
        case .call(let name, let args, let at):
            return try compileCall(name, args, at: at, record: record)
        case .aggregate(let a):
            return try compileAggregate(a, record: record)
        case .list(_, let at):
            throw ExpressionError(offset: at, message: "a list can only follow 'in' or be an argument of band(…)")
        }
    }

    private mutating func resolveName(_ name: String, at: Int, record: Int?) throws(ExpressionError) -> (PlanNode, ValueType) {
        if let record {
            let source = sources.sources[record]
            if let i = source.fieldIndex(name) {
                guard let t = fieldType(source.fields[i], source: source.name) else {
                    throw ExpressionError(
                        offset: at, message: "field '\(name)' of \(source.name) is free text and cannot be used in an expression")
                }
                let node = PlanNode.recordField(i, categorical: t.isCategory)
                // Booleans are never empty: an empty optional flag reads as false.
                return (t == .bool ? .coalesce(node, .number(0), categorical: false) : node, t)
            }
        }
        if name.hasPrefix("reg.") {
            let fname = String(name.dropFirst(4))
            let entity = sources.sources[entityIndex]
            guard let i = entity.fieldIndex(fname) else {
                throw ExpressionError(
                    offset: at, message: "unknown registration field '\(fname)'",
                    hint: closestMatch(to: fname, in: entity.fields.map(\.name)).map { "did you mean 'reg.\($0)'?" })
            }
            guard let t = fieldType(entity.fields[i], source: entity.name) else {
                throw ExpressionError(offset: at, message: "registration field '\(fname)' is free text and cannot be used in an expression")
            }
            if record != nil {
                throw ExpressionError(
                    offset: at, message: "registration fields cannot be used inside 'where'",
                    hint: "compare outside the aggregate")
            }
            let node = PlanNode.entityField(i, categorical: t.isCategory)
            return (t == .bool ? .coalesce(node, .number(0), categorical: false) : node, t)
        }
        if let extra = extraNames[name] { return extra }
        if let tag = tagScope[name] {
            if record != nil {
                throw ExpressionError(offset: at, message: "tag '\(name)' cannot be used inside 'where': it is not a field of the records")
            }
            referencedTags.insert(name)
            return (.tag(tag.index, categorical: tag.type.isCategory), tag.type)
        }
        // Nothing matched: suggest the closest field, registration field or tag.
        var candidates = Array(tagScope.keys) + sources.sources[entityIndex].fields.map { "reg.\($0.name)" } + Array(extraNames.keys)
        if let record {
            let source = sources.sources[record]
            candidates += source.fields.map(\.name)
            let hint = closestMatch(to: name, in: candidates).map { "did you mean '\($0)'?" }
            throw ExpressionError(offset: at, message: "unknown field '\(name)' in \(source.name)", hint: hint)
        }
        if let dot = name.firstIndex(of: "."), let s = sources.source(String(name[..<dot])) {
            let f = String(name[name.index(after: dot)...])
            throw ExpressionError(
                offset: at, message: "'\(name)' is a field of \(s.name): records must be aggregated",
                hint: "e.g. latest(\(s.name).\(f)) or count(\(s.name) where …)")
        }
        let hint = closestMatch(to: name, in: candidates).map { "did you mean '\($0)'?" }
        throw ExpressionError(offset: at, message: "unknown tag or field '\(name)'", hint: hint)
    }

    private mutating func code(for literal: String, in name: String, values: [String], at: Int) throws(ExpressionError) -> Int32 {
        if !values.isEmpty && !values.contains(literal) {
            let shown = values.count <= 12 ? values.joined(separator: ", ") : values.prefix(12).joined(separator: ", ") + ", …"
            throw ExpressionError(
                offset: at, message: "unknown value '\(literal)' for \(name)",
                hint: closestMatch(to: literal, in: values).map { "did you mean '\($0)'?" } ?? "expected one of \(shown)")
        }
        return vocabulary.intern(literal)
    }

    private mutating func compileBinary(
        _ op: BinaryOperator, _ l: Expr, _ r: Expr, at: Int, record: Int?
    ) throws(ExpressionError) -> (PlanNode, ValueType) {
        if op == .and || op == .or {
            let (ln, lt) = try compile(l, record: record)
            let (rn, rt) = try compile(r, record: record)
            guard lt == .bool, rt == .bool else {
                let bad = lt != .bool ? lt : rt
                throw ExpressionError(
                    offset: lt != .bool ? l.offset : r.offset, message: "'\(op.rawValue)' joins booleans, found a \(bad)",
                    hint: "compare it first, e.g. x > 0")
            }
            return (.logical(op, ln, rn), .bool)
        }
        if op.isComparison {
            // A text literal on one side takes its meaning from the other side: category value or date.
            if case .string(let s, let sat) = r {
                let (ln, lt) = try compile(l, record: record)
                return (try compareWithLiteral(op, ln, lt, s, at: sat, opAt: at), .bool)
            }
            if case .string(let s, let sat) = l {
                let (rn, rt) = try compile(r, record: record)
                return (try compareWithLiteral(op.flipped, rn, rt, s, at: sat, opAt: at), .bool)
            }
            let (ln, lt) = try compile(l, record: record)
            let (rn, rt) = try compile(r, record: record)
            switch (lt, rt) {
            case (.number, .number), (.date, .date), (.bool, .bool):
                if lt == .bool && op != .equal && op != .notEqual {
                    throw ExpressionError(offset: at, message: "booleans can only be compared with == or !=")
                }
                return (.compare(op, ln, rn, categorical: false), .bool)
            case (.category, .category):
                guard op == .equal || op == .notEqual else {
                    throw ExpressionError(offset: at, message: "categories can only be compared with ==, != or in [...]")
                }
                return (.compare(op, ln, rn, categorical: true), .bool)
            default:
                throw ExpressionError(offset: at, message: "cannot compare a \(lt) with a \(rt)")
            }
        }
        // Arithmetic.
        let (ln, lt) = try compile(l, record: record)
        let (rn, rt) = try compile(r, record: record)
        switch (op, lt, rt) {
        case (_, .number, .number): return (.arithmetic(op, ln, rn), .number)
        case (.subtract, .date, .date): return (.arithmetic(.subtract, ln, rn), .number)
        case (.add, .date, .number), (.subtract, .date, .number): return (.arithmetic(op, ln, rn), .date)
        case (.add, .number, .date): return (.arithmetic(.add, ln, rn), .date)
        default:
            throw ExpressionError(
                offset: at, message: "'\(op.rawValue)' is not defined for a \(lt) and a \(rt)",
                hint: lt == .date || rt == .date ? "dates subtract to days; add or subtract a number of days to a date" : nil)
        }
    }

    private mutating func compareWithLiteral(
        _ op: BinaryOperator, _ node: PlanNode, _ type: ValueType, _ literal: String, at: Int, opAt: Int
    ) throws(ExpressionError) -> PlanNode {
        switch type {
        case .category(let name, let values):
            guard op == .equal || op == .notEqual else {
                throw ExpressionError(offset: opAt, message: "categories can only be compared with ==, != or in [...]")
            }
            let c = try code(for: literal, in: name, values: values, at: at)
            return .compare(op, node, .code(c), categorical: true)
        case .date:
            guard let d = Day(iso: literal) else {
                throw ExpressionError(offset: at, message: "'\(literal)' is not a date", hint: "write dates as 'YYYY-MM-DD'")
            }
            return .compare(op, node, .number(Double(d.value)), categorical: false)
        default:
            throw ExpressionError(offset: at, message: "cannot compare a \(type) with the text '\(literal)'")
        }
    }

    private mutating func compileCall(
        _ name: String, _ args: [Expr], at: Int, record: Int?
    ) throws(ExpressionError) -> (PlanNode, ValueType) {
        func arity(_ n: Int) throws(ExpressionError) {
            guard args.count == n else {
                throw ExpressionError(offset: at, message: "\(name)(…) takes \(n) argument\(n == 1 ? "" : "s"), found \(args.count)")
            }
        }
        switch name {
        case "city", "section":
            try arity(1)
            let (n, t) = try compile(args[0], record: record)
            let expected = name == "city" ? "region" : "industry"
            guard case .category(let cname, _) = t, cname.hasSuffix(".\(expected)") else {
                throw ExpressionError(offset: args[0].offset, message: "\(name)(…) takes a \(expected) code, found a \(t)")
            }
            return name == "city"
                ? (.mapCodes(n, table: cityTable), .category(name: "city", values: cityValues))
                : (.mapCodes(n, table: sectionTable), .category(name: "industry section", values: sectionValues))
        case "peers_count":
            try arity(1)
            if record != nil {
                throw ExpressionError(offset: at, message: "peers_count(…) cannot be used inside 'where'")
            }
            let (c, ct) = try compile(args[0], record: record)
            guard ct == .bool else {
                throw ExpressionError(offset: args[0].offset, message: "peers_count(…) needs a condition, found a \(ct)")
            }
            guard c.readsOnlyTags, c.peerConditions.isEmpty else {
                throw ExpressionError(
                    offset: args[0].offset, message: "the condition of peers_count(…) may only use tags",
                    hint: "define a tag for it first, e.g. peers_count(abnormal.listed)")
            }
            return (.peerCount(c), .number)
        case "coalesce":
            try arity(2)
            let (a, at1) = try compile(args[0], record: record)
            let (b, bt) = try compile(args[1], record: record)
            guard at1 == bt || (at1.isCategory && bt.isCategory) else {
                throw ExpressionError(offset: args[1].offset, message: "coalesce(…) needs two values of one type, found \(at1) and \(bt)")
            }
            return (.coalesce(a, b, categorical: at1.isCategory), at1)
        case "if":
            try arity(3)
            let (c, ct) = try compile(args[0], record: record)
            guard ct == .bool else { throw ExpressionError(offset: args[0].offset, message: "if(…) needs a condition first") }
            if case .string(let s1, let o1) = args[1], case .string(let s2, _) = args[2] {
                _ = o1
                let c1 = vocabulary.intern(s1)
                let c2 = vocabulary.intern(s2)
                return (.ifThen(c, .code(c1), .code(c2), categorical: true), .category(name: "label", values: [s1, s2]))
            }
            // One branch a category, the other a text literal: the literal must be a value of that category.
            if case .string(let lit, let litAt) = args[2] {
                let (a, aType) = try compile(args[1], record: record)
                if case .category(let cname, let values) = aType {
                    let code = try code(for: lit, in: cname, values: values, at: litAt)
                    return (.ifThen(c, a, .code(code), categorical: true), aType)
                }
            }
            if case .string(let lit, let litAt) = args[1] {
                let (b, bType) = try compile(args[2], record: record)
                if case .category(let cname, let values) = bType {
                    let code = try code(for: lit, in: cname, values: values, at: litAt)
                    return (.ifThen(c, .code(code), b, categorical: true), bType)
                }
            }
            let (a, aType) = try compile(args[1], record: record)
            let (b, bType) = try compile(args[2], record: record)
            guard aType == bType || (aType.isCategory && bType.isCategory) else {
                throw ExpressionError(offset: args[2].offset, message: "if(…) branches have different types: \(aType) and \(bType)")
            }
            return (.ifThen(c, a, b, categorical: aType.isCategory), aType)
        case "band":
            try arity(3)
            guard case .list(let edgeItems, let eat) = args[1], case .list(let labelItems, let lat) = args[2] else {
                throw ExpressionError(
                    offset: at, message: "band(x, [edges], ['labels']) needs two lists",
                    hint: "e.g. band(reg.registered_capital, [100, 1000], ['small', 'medium', 'large'])")
            }
            var edges: [Double] = []
            for e in edgeItems {
                switch e {
                case .number(let d, _): edges.append(d)
                case .unary(.negate, .number(let d, _), _): edges.append(-d)
                default: throw ExpressionError(offset: e.offset, message: "band edges must be numbers")
                }
            }
            var labels: [String] = []
            for l in labelItems {
                guard case .string(let s, _) = l else { throw ExpressionError(offset: l.offset, message: "band labels must be text") }
                labels.append(s)
            }
            _ = (eat, lat)
            return try compileBand(args[0], edges: edges, labels: labels, at: at, record: record)
        default:
            break
        }
        guard let fn = ScalarFunction(rawValue: name) else {
            let known = ["abs", "floor", "round", "min", "max", "ratio", "year", "month", "date", "peers_count", "city", "section", "coalesce", "if", "band"]
                + AggregateFunction.allCases.map(\.rawValue)
            throw ExpressionError(
                offset: at, message: "unknown function '\(name)'",
                hint: closestMatch(to: name, in: known).map { "did you mean '\($0)'?" })
        }
        var nodes: [PlanNode] = []
        var types: [ValueType] = []
        for a in args {
            let (n, t) = try compile(a, record: record)
            nodes.append(n)
            types.append(t)
        }
        switch fn {
        case .abs, .floor, .round:
            try arity(1)
            guard types[0] == .number else { throw ExpressionError(offset: args[0].offset, message: "\(name)(…) needs a number") }
            return (.function(fn, nodes), .number)
        case .min, .max:
            try arity(2)
            guard types[0] == types[1], types[0] == .number || types[0] == .date else {
                throw ExpressionError(offset: at, message: "\(name)(a, b) needs two numbers or two dates")
            }
            return (.function(fn, nodes), types[0])
        case .ratio:
            guard args.count == 3 else {
                throw ExpressionError(
                    offset: at, message: "ratio(…) takes 3 arguments: ratio(part, whole, value_when_whole_is_zero)")
            }
            guard types.allSatisfy({ $0 == .number }) else { throw ExpressionError(offset: at, message: "ratio(…) needs numbers") }
            return (.function(fn, nodes), .number)
        case .year, .month:
            try arity(1)
            guard types[0] == .date else { throw ExpressionError(offset: args[0].offset, message: "\(name)(…) needs a date") }
            return (.function(fn, nodes), .number)
        case .date:
            try arity(3)
            guard types.allSatisfy({ $0 == .number }) else {
                throw ExpressionError(offset: at, message: "date(year, month, day) needs three numbers")
            }
            return (.function(fn, nodes), .date)
        }
    }

    /// `band(x, [e1, e2, …], ['l0', 'l1', …])`: label i where e(i) <= x < e(i+1); empty x gives empty.
    mutating func compileBand(_ x: Expr, edges: [Double], labels: [String], at: Int, record: Int? = nil)
        throws(ExpressionError) -> (PlanNode, ValueType)
    {
        let (n, t) = try compile(x, record: record)
        guard t == .number else { throw ExpressionError(offset: x.offset, message: "band(…) needs a number, found a \(t)") }
        guard labels.count == edges.count + 1 else {
            throw ExpressionError(offset: at, message: "band(…) needs one more label than edges: \(edges.count) edges, \(labels.count) labels")
        }
        guard zip(edges, edges.dropFirst()).allSatisfy({ $0 < $1 }) else {
            throw ExpressionError(offset: at, message: "band(…) edges must be increasing")
        }
        let codes = labels.map { vocabulary.intern($0) }
        return (.band(n, edges: edges, labels: codes), .category(name: "band", values: labels))
    }

    private mutating func compileAggregate(_ a: AggregateExpr, record: Int?) throws(ExpressionError) -> (PlanNode, ValueType) {
        if record != nil {
            throw ExpressionError(offset: a.offset, message: "aggregates cannot be nested inside 'where'")
        }
        guard let si = sources.sources.firstIndex(where: { $0.name == a.source }) else {
            throw ExpressionError(
                offset: a.sourceOffset, message: "unknown source '\(a.source)'",
                hint: closestMatch(to: a.source, in: sources.sources.map(\.name)).map { "did you mean '\($0)'?" })
        }
        let source = sources.sources[si]
        if source.isEntity {
            throw ExpressionError(
                offset: a.sourceOffset, message: "\(source.name) has one row per enterprise: use reg.<field> instead of an aggregate")
        }
        referencedSources.insert(source.name)
        guard let eventField = source.fieldIndex(source.eventDate) else {
            throw ExpressionError(offset: a.sourceOffset, message: "source \(source.name) has no event date, so it has no windows")
        }
        var fieldIndex: Int?
        var fieldT: ValueType?
        if let f = a.field {
            guard let i = source.fieldIndex(f) else {
                throw ExpressionError(
                    offset: a.sourceOffset + a.source.count + 1, message: "unknown field '\(f)' in \(source.name)",
                    hint: closestMatch(to: f, in: source.fields.map(\.name)).map { "did you mean '\($0)'?" })
            }
            guard let t = fieldType(source.fields[i], source: source.name) else {
                throw ExpressionError(offset: a.sourceOffset, message: "field '\(f)' of \(source.name) is free text and cannot be aggregated")
            }
            fieldIndex = i
            fieldT = t
        } else if a.function.needsField {
            throw ExpressionError(
                offset: a.sourceOffset, message: "\(a.function.rawValue)(…) needs a field, e.g. \(a.function.rawValue)(\(source.name).\(source.fields.first { fieldType($0, source: source.name) == .number }?.name ?? "field"))")
        }
        var filter: PlanNode?
        if let f = a.filter {
            let (n, t) = try compile(f, record: si)
            guard t == .bool else { throw ExpressionError(offset: f.offset, message: "'where' needs a condition, found a \(t)") }
            filter = n
        }
        let resultType: ValueType
        switch a.function {
        case .count, .distinct, .daysSince: resultType = .number
        case .exists: resultType = .bool
        case .sum, .avg:
            guard fieldT == .number else {
                throw ExpressionError(offset: a.sourceOffset, message: "\(a.function.rawValue)(…) needs a number field, \(a.field ?? "") is a \(fieldT!)")
            }
            resultType = .number
        case .min, .max:
            guard fieldT == .number || fieldT == .date else {
                throw ExpressionError(offset: a.sourceOffset, message: "\(a.function.rawValue)(…) needs a number or date field")
            }
            resultType = fieldT!
        case .latest, .earliest:
            resultType = fieldT!
        }
        if a.function == .daysSince, let fieldT, fieldT != .date {
            throw ExpressionError(offset: a.sourceOffset, message: "days_since(…) needs a date field or a source")
        }
        let plan = AggregatePlan(
            function: a.function, source: si, field: fieldIndex, filter: filter, windowDays: a.windowDays, eventField: eventField,
            resultIsCategorical: resultType.isCategory)
        // Booleans are never empty: latest/earliest of a flag over no records is false, not empty.
        if resultType == .bool && plan.function != .exists {
            return (.coalesce(.aggregate(plan), .number(0), categorical: false), resultType)
        }
        return (.aggregate(plan), resultType)
    }
}

extension BinaryOperator {
    /// The operator with its operands swapped (`a < b` ⇔ `b > a`).
    var flipped: BinaryOperator {
        switch self {
        case .less: return .greater
        case .lessEqual: return .greaterEqual
        case .greater: return .less
        case .greaterEqual: return .lessEqual
        default: return self
        }
    }
}
