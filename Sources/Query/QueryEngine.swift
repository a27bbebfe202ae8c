import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import ProfileStore
import RunModel

/// A mistake in an analyst's expression, with the place it points at.
public struct QueryError: DigitagError, Sendable {
    /// A mistake typed on the command line: ArgumentParser's usage code.
    public var exitStatus: ExitStatus { .usage }
    public var report: [String] { [description] }
    public var expression: String
    /// Offset in Unicode scalars, as the tag language's lexer counts.
    public var offset: Int
    public var message: String
    public var hint: String?

    public init(expression: String, offset: Int, message: String, hint: String? = nil) {
        self.expression = expression
        self.offset = offset
        self.message = message
        self.hint = hint
    }

    /// The message, the expression and a caret under the column it points at (wide characters count 2).
    public var description: String {
        let scalars = Array(expression.unicodeScalars)
        var prefix = String.UnicodeScalarView()
        prefix.append(contentsOf: scalars.prefix(min(offset, scalars.count)))
        let caret = String(repeating: " ", count: TextTable.displayWidth(String(prefix))) + "^"
        var lines = ["query:\(offset + 1): error: \(message)", "  " + expression, "  " + caret]
        if let hint { lines.append("  hint: \(hint)") }
        return lines.joined(separator: "\n")
    }
}

/// Evaluates tag-language expressions over a run's profile store: counts, group counts and lists.
///
/// Expressions are compiled by the catalog's own compiler (the same syntax and type rules as tag files)
/// with three more names: `class`, `score` and `region`/`city` (the registration region and its city).
/// Records are not in the store, so aggregates (`count(…)`, `peers_count(…)`) are refused: write a tag.
/// Evaluation goes row group by row group with the engine's `TagEvaluator`, reading only the columns the
/// expression uses.
public final class StoreQuery {
    public let reader: StoreReader
    let catalog: TagCatalog
    var compiler: ExpressionCompiler
    let evaluator: TagEvaluator
    let tagCount: Int
    let entityFieldCount: Int
    /// Store column of each catalog tag, and of `class` (index tagCount) and `score` (tagCount + 1).
    let tagColumn: [Int]
    /// Store column of each registration field, by field index (-1 when not stored).
    let entityColumn: [Int]
    var codeMaps: [Int: [Int32]] = [:]

    public init(reader: StoreReader, definition: PipelineDefinition) throws {
        let meta = reader.meta
        guard meta.pipelineHash == definition.hash else {
            throw Diagnostic(
                SourceLocation(file: definition.path),
                "the pipeline changed since the run's store was made (hash \(meta.pipelineHash.prefix(12))… ≠ \(definition.hash.prefix(12))…)",
                hint: "query with the pipeline files of that run (--pipeline), or run again")
        }
        self.reader = reader
        catalog = definition.catalog
        tagCount = catalog.tags.count
        evaluator = TagEvaluator(catalog: catalog, asOf: Day(iso: meta.asOf) ?? Day(0))
        var columns: [Int] = []
        for t in catalog.tags { columns.append(try reader.column(t.id)) }
        columns.append(try reader.column("class"))
        columns.append(try reader.column("score"))
        tagColumn = columns
        let entity = definition.sources.entitySource
        entityFieldCount = entity.fields.count
        entityColumn = entity.fields.map { reader.columnIndex["reg." + $0.name] ?? -1 }
        var c = catalog.expressionCompiler()
        for code in meta.classes { c.vocabulary.intern(code) }
        c.extraNames["class"] = (.tag(tagCount, categorical: true), .category(name: "class", values: meta.classes))
        c.extraNames["score"] = (.tag(tagCount + 1, categorical: false), .number)
        if let region = try? c.compile(Parser.parse("reg.region")) { c.extraNames["region"] = region }
        if let city = try? c.compile(Parser.parse("city(reg.region)")) { c.extraNames["city"] = city }
        if let region = c.extraNames["region"] { c.extraNames["county"] = region }
        compiler = c
        var cities: [String: [String]] = [:]
        var counties: [String: [String]] = [:]
        for r in meta.regions {
            if !r.cityName.isEmpty && !(cities[r.cityName]?.contains(r.cityCode) ?? false) { cities[r.cityName, default: []].append(r.cityCode) }
            if !r.name.isEmpty { counties[r.name, default: []].append(r.code) }
        }
        cityCodesByName = cities
        countyCodesByName = counties
        regionNames = Dictionary(meta.regions.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        cityNames = Dictionary(meta.regions.map { ($0.cityCode, $0.cityName) }, uniquingKeysWith: { a, _ in a })
    }

    /// City and county names → their codes (a county name such as 市中区 can name several counties).
    let cityCodesByName: [String: [String]]
    let countyCodesByName: [String: [String]]
    /// Code → name, for the name columns `--by city` adds.
    let regionNames: [String: String]
    let cityNames: [String: String]
    static let cityNamesFor: Set<String> = ["city"]
    static let countyNamesFor: Set<String> = ["county", "region", "reg.region"]

    /// `city == '济南市'` → `city == '3701'`, `county == '市中区'` → `county in ['370103', '370402']`: names of
    /// cities and counties work wherever their codes do (==, !=, in, not in). Other strings are left alone.
    func placeNamesToCodes(_ e: Expr) -> Expr {
        func codes(_ field: Expr, _ value: Expr) -> [String]? {
            guard case .name(let n, _) = field, case .string(let s, _) = value else { return nil }
            if Self.cityNamesFor.contains(n) { return cityCodesByName[s] }
            if Self.countyNamesFor.contains(n) { return countyCodesByName[s] }
            return nil
        }
        switch e {
        case .binary(let op, let a, let b, let at) where op == .equal || op == .notEqual:
            for swapped in [false, true] {
                let (field, value) = swapped ? (b, a) : (a, b)
                guard let list = codes(field, value), case .string(_, let valueAt) = value else { continue }
                if list.count == 1 {
                    let code = Expr.string(list[0], at: valueAt)
                    return swapped ? .binary(op, code, field, at: at) : .binary(op, field, code, at: at)
                }
                return .inList(field, list.map { .string($0, at: valueAt) }, negated: op == .notEqual, at: at)
            }
            return .binary(op, placeNamesToCodes(a), placeNamesToCodes(b), at: at)
        case .binary(let op, let a, let b, let at): return .binary(op, placeNamesToCodes(a), placeNamesToCodes(b), at: at)
        case .inList(let field, let items, let negated, let at):
            var out: [Expr] = []
            for item in items {
                if let list = codes(field, item), case .string(_, let valueAt) = item {
                    out += list.map { .string($0, at: valueAt) }
                } else {
                    out.append(item)
                }
            }
            return .inList(field, out, negated: negated, at: at)
        case .unary(let op, let a, let at): return .unary(op, placeNamesToCodes(a), at: at)
        case .isNull(let a, let negated, let at): return .isNull(placeNamesToCodes(a), negated: negated, at: at)
        case .call(let name, let args, let at): return .call(name, args.map(placeNamesToCodes), at: at)
        case .list(let items, let at): return .list(items.map(placeNamesToCodes), at: at)
        case .number, .string, .bool, .null, .asOf, .name, .aggregate: return e
        }
    }

    /// Parses and type-checks an expression; `boolean` requires a condition.
    public func compile(_ text: String, boolean: Bool = false) throws -> (PlanNode, ValueType) {
        let expr: Expr
        do { expr = placeNamesToCodes(try Parser.parse(text)) } catch {
            throw QueryError(expression: text, offset: error.offset, message: error.message, hint: error.hint)
        }
        if let (at, what) = Self.recordAccess(expr) {
            throw QueryError(
                expression: text, offset: at, message: "\(what) reads records, which the profile store does not hold",
                hint: "queries read tags, registration fields (reg.*), class and score; write a tag for this and run again")
        }
        let result: (PlanNode, ValueType)
        do { result = try compiler.compile(expr) } catch {
            throw QueryError(expression: text, offset: error.offset, message: error.message, hint: error.hint)
        }
        if boolean && result.1 != .bool {
            throw QueryError(
                expression: text, offset: 0, message: "a query must be a condition (true or false), this expression gives a \(result.1)",
                hint: "compare it, e.g. '… > 0' or \"… == 'D'\"")
        }
        if Self.readsRecords(result.0) {
            throw QueryError(expression: text, offset: 0, message: "this expression reads records, which the profile store does not hold")
        }
        return result
    }

    static func recordAccess(_ e: Expr) -> (Int, String)? {
        switch e {
        case .aggregate(let a): return (a.offset, "\(a.function.rawValue)(…) is an aggregate over records: it")
        case .call(let name, let args, let at):
            if name == "peers_count" { return (at, "peers_count(…) is an aggregate over related enterprises: it") }
            return args.lazy.compactMap(recordAccess).first
        case .unary(_, let a, _), .isNull(let a, _, _): return recordAccess(a)
        case .binary(_, let a, let b, _): return recordAccess(a) ?? recordAccess(b)
        case .inList(let a, let items, _, _): return recordAccess(a) ?? items.lazy.compactMap(recordAccess).first
        case .list(let items, _): return items.lazy.compactMap(recordAccess).first
        case .number, .string, .bool, .null, .asOf, .name: return nil
        }
    }

    static func readsRecords(_ p: PlanNode) -> Bool {
        switch p {
        case .aggregate, .peerCount, .recordField: return true
        case .number, .code, .asOf, .entityField, .tag: return false
        case .negate(let a), .not(let a), .inNumbers(let a, _, _), .inCodes(let a, _, _), .isNull(let a, _, _), .band(let a, _, _),
            .mapCodes(let a, _):
            return readsRecords(a)
        case .arithmetic(_, let a, let b), .compare(_, let a, let b, _), .logical(_, let a, let b), .coalesce(let a, let b, _):
            return readsRecords(a) || readsRecords(b)
        case .ifThen(let c, let a, let b, _): return readsRecords(c) || readsRecords(a) || readsRecords(b)
        case .function(_, let args): return args.contains(where: readsRecords)
        }
    }

    static func entityFields(_ p: PlanNode, into set: inout Set<Int>) {
        switch p {
        case .entityField(let i, _): set.insert(i)
        case .number, .code, .asOf, .tag, .recordField, .aggregate, .peerCount: break
        case .negate(let a), .not(let a), .inNumbers(let a, _, _), .inCodes(let a, _, _), .isNull(let a, _, _), .band(let a, _, _),
            .mapCodes(let a, _):
            entityFields(a, into: &set)
        case .arithmetic(_, let a, let b), .compare(_, let a, let b, _), .logical(_, let a, let b), .coalesce(let a, let b, _):
            entityFields(a, into: &set)
            entityFields(b, into: &set)
        case .ifThen(let c, let a, let b, _):
            entityFields(c, into: &set)
            entityFields(a, into: &set)
            entityFields(b, into: &set)
        case .function(_, let args): for a in args { entityFields(a, into: &set) }
        }
    }

    /// Dictionary index → the compiler's vocabulary code, for a categorical store column.
    func codeMap(_ column: Int) -> [Int32] {
        if let m = codeMaps[column] { return m }
        let m = (reader.meta.columns[column].dictionary ?? []).map { compiler.vocabulary.intern($0) }
        codeMaps[column] = m
        return m
    }

    func load(_ column: Int, group g: Int, categorical: Bool) throws -> Column {
        if categorical {
            let map = codeMap(column)
            return .codes(try reader.dictionaryIndices(column: column, group: g).map { $0 < 0 ? -1 : map[Int($0)] })
        }
        return .numbers(try reader.numbers(column: column, group: g))
    }

    /// Evaluates plans over one row group, loading only the columns they read.
    func evaluate(_ plans: [PlanNode], group g: Int) throws -> [Column] {
        let n = reader.rows(inGroup: g)
        var tags = [Column](repeating: .numbers([]), count: tagCount + 2)
        var fields = Set<Int>()
        var tagIndices = Set<Int>()
        for p in plans {
            tagIndices.formUnion(p.tagIndices)
            Self.entityFields(p, into: &fields)
        }
        for t in tagIndices {
            let categorical = t < tagCount ? catalog.tags[t].isCategorical : t == tagCount
            tags[t] = try load(tagColumn[t], group: g, categorical: categorical)
        }
        var numbers = [[Double]](repeating: [], count: entityFieldCount)
        var codes = [[Int32]](repeating: [], count: entityFieldCount)
        for f in fields {
            let c = entityColumn[f]
            guard c >= 0 else { throw InputError(file: reader.path, message: "the profile store has no registration field \(f)") }
            switch try load(c, group: g, categorical: reader.meta.columns[c].kind == .category) {
            case .numbers(let v): numbers[f] = v
            case .codes(let v): codes[f] = v
            }
        }
        let start = g * reader.meta.groupSize
        let shard = ShardData(
            ordinals: start..<(start + n), keys: [UInt128](repeating: 0, count: n), entityNumbers: numbers, entityCodes: codes, records: [])
        return plans.map { evaluator.evaluate($0, shard: shard, tags: tags) }
    }

    /// Enterprises for which the condition holds.
    public func count(_ condition: String) throws -> Int {
        let (plan, _) = try compile(condition, boolean: true)
        var total = 0
        for g in 0..<reader.groupCount {
            for v in try evaluate([plan], group: g)[0].numbers where v != 0 { total += 1 }
        }
        return total
    }

    /// Ordinals of the enterprises for which the condition holds, in USCC order.
    public func matches(_ condition: String) throws -> [Int] {
        let (plan, _) = try compile(condition, boolean: true)
        var out: [Int] = []
        for g in 0..<reader.groupCount {
            let start = g * reader.meta.groupSize
            for (i, v) in try evaluate([plan], group: g)[0].numbers.enumerated() where v != 0 { out.append(start + i) }
        }
        return out
    }

    func format(_ column: Column, _ i: Int, _ type: ValueType) -> String {
        ValueFormat.value(column, i, type: type, vocabulary: compiler.vocabulary)
    }

    /// Counts of the matching enterprises per combination of the `by` expressions' values.
    public func groupCounts(_ condition: String, by: [String]) throws -> TextTable {
        let (plan, _) = try compile(condition, boolean: true)
        let keys = try by.map { try compile($0) }
        var counts: [[String]: Int] = [:]
        for g in 0..<reader.groupCount {
            let columns = try evaluate([plan] + keys.map(\.0), group: g)
            let mask = columns[0].numbers
            for i in 0..<mask.count where mask[i] != 0 {
                let key = keys.indices.map { format(columns[$0 + 1], i, keys[$0].1) }
                counts[key, default: 0] += 1
            }
        }
        // Beside a city or county code, its name.
        var header: [String] = []
        for name in by {
            header.append(name)
            if Self.cityNamesFor.contains(name) || Self.countyNamesFor.contains(name) { header.append(name + "_name") }
        }
        let rows = counts.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { key -> [String] in
            var row: [String] = []
            for (name, value) in zip(by, key) {
                row.append(value)
                if Self.cityNamesFor.contains(name) { row.append(cityNames[value] ?? "") }
                if Self.countyNamesFor.contains(name) { row.append(regionNames[value] ?? "") }
            }
            return row + [String(counts[key]!)]
        }
        return TextTable(header: header + ["count"], rows: rows, numericColumns: [header.count])
    }

    /// The matching enterprises: USCC, name and the value of each requested column (a tag, a registration
    /// field, class, score, reasons, reasons_zh, or any expression).
    public func list(_ condition: String, columns: [String]) throws -> TextTable {
        let (plan, _) = try compile(condition, boolean: true)
        let stored: Set<String> = ["reasons", "reasons_zh"]
        let extra = columns.filter { $0 != "uscc" && $0 != "name" }
        let expressions = extra.filter { !stored.contains($0) }
        let compiled = try expressions.map { try compile($0) }
        let nameColumn = try reader.column("name")
        let textColumns = try extra.filter(stored.contains).map { try reader.column($0) }
        var rows: [[String]] = []
        for g in 0..<reader.groupCount {
            let values = try evaluate([plan] + compiled.map(\.0), group: g)
            let mask = values[0].numbers
            guard mask.contains(where: { $0 != 0 }) else { continue }
            let keys = try reader.keys(group: g)
            let names = try reader.texts(column: nameColumn, group: g)
            let texts = try textColumns.map { try reader.texts(column: $0, group: g) }
            for i in 0..<mask.count where mask[i] != 0 {
                var row = [USCC.text(keys[i]), names[i]]
                var e = 0
                var t = 0
                for name in extra {
                    if stored.contains(name) {
                        row.append(texts[t][i])
                        t += 1
                    } else {
                        row.append(format(values[e + 1], i, compiled[e].1))
                        e += 1
                    }
                }
                rows.append(row)
            }
        }
        let header = ["uscc", "name"] + extra
        var numeric = Set<Int>()
        var e = 0
        for (k, name) in extra.enumerated() where !stored.contains(name) {
            if compiled[e].1 == .number { numeric.insert(k + 2) }
            e += 1
        }
        return TextTable(header: header, rows: rows, numericColumns: numeric)
    }
}
