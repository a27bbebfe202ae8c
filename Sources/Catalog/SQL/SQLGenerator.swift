import DataContract
import DigiTagBase

/// The tag catalog as one DuckDB query over the same input files the engine reads.
///
/// Two uses: analysts run the tags in their own warehouse, and the oracle test proves that the engine
/// computes every tag of every enterprise as this independent formulation does. The query has the shape
/// a warehouse runs well:
///
/// 1. one scan and one `GROUP BY uscc` per source, every aggregate a column with its own
///    `FILTER (WHERE …)`;
/// 2. those joined onto the registration (enterprises established by the as-of date), with the empty
///    results of aggregates over no records made explicit (`count` 0, `exists` false, …);
/// 3. one `SELECT *, …` layer per depth of the tag dependency graph, so a tag reads the tags it uses as
///    columns of the layer before;
/// 4. the result: `uscc`, then every tag in catalog order, rows in USCC order — the columns of `tags.csv`.
public struct SQLGenerator: Sendable {
    public let catalog: TagCatalog
    public let dialect: SQLDialect

    public init(catalog: TagCatalog, dialect: SQLDialect = .duckdb) {
        self.catalog = catalog
        self.dialect = dialect
    }

    /// The sources the query reads: the registration, then every source some tag aggregates over.
    public var sourcesRead: [SourceSchema] {
        let used = Set(aggregates.map(\.source))
        return catalog.sources.sources.enumerated().filter { $0.element.isEntity || used.contains($0.offset) }.map(\.element)
    }

    /// Each source the query reads with the type every column is read as (DuckDB's `read_csv` types; for
    /// Spark, the job's schema), in `sourcesRead` order.
    public var readSchemas: [(source: SourceSchema, columns: [(name: String, type: String)])] {
        sourcesRead.map { s in (s, SQLSourceScan(schema: s, files: [], asOf: Day(0)).fields.map { ($0.spec.name, $0.readType(dialect)) }) }
    }

    /// Every distinct aggregate of the catalog, in the order tags use them.
    private var aggregates: [AggregatePlan] {
        var seen = Set<AggregatePlan>()
        var out: [AggregatePlan] = []
        for tag in catalog.tags {
            for case .aggregate(let plan) in SQLPlanWalk.nodes(tag.plan) where seen.insert(plan).inserted { out.append(plan) }
        }
        return out
    }

    /// The query as of `asOf`, reading each source from `files[source name]` (the registration's and those
    /// of `sourcesRead`; `.csv` and `.csv.zst` may be mixed). Paths are written as given.
    public func query(asOf: Day, files: [String: [String]]) -> String {
        var layout = Layout(catalog: catalog, asOf: asOf, dialect: dialect)
        return layout.build(aggregates: aggregates, files: files)
    }
}

/// The names and pieces of one query, built in the order the query reads: registration, code tables,
/// one grouping per source, the joined features, the tag layers, the result.
private struct Layout {
    let catalog: TagCatalog
    let asOf: Day
    let dialect: SQLDialect
    var columns = SQLNameAllocator()
    var relations = SQLNameAllocator()
    /// Column name of each tag in the intermediate relations.
    var tagNames: [String] = []
    /// The enterprise key's column name (`uscc` unless a tag took that name).
    var key = ""
    /// The registration relation's name.
    var registration = ""
    var ctes: [(name: String, body: String)] = []
    /// What the features relation adds to the registration's columns, and the joins that bring them.
    var featureColumns: [String] = []
    var joins: [String] = []
    var scope = SQLScope()

    init(catalog: TagCatalog, asOf: Day, dialect: SQLDialect) {
        self.catalog = catalog
        self.asOf = asOf
        self.dialect = dialect
        // Tags first, so that every tag keeps its id as its column name.
        tagNames = catalog.tags.map { columns.claim($0.id) }
        key = columns.claim("uscc")
    }

    mutating func build(aggregates: [AggregatePlan], files: [String: [String]]) -> String {
        guard let entity = catalog.sources.sources.first(where: \.isEntity) else {
            preconditionFailure("a compiled catalog's sources have exactly one entity source")
        }
        let scan = SQLSourceScan(schema: entity, files: files[entity.name] ?? [], asOf: asOf, dialect: dialect)
        registration = relations.claim(entity.name)
        let projected = addRegistrationFields(scan)
        addCodeMaps(scan)
        ctes.append((registration, scan.select(projected)))
        addGroupings(aggregates, files: files)
        let features = relations.claim("features")
        let select = ["\(SQLSyntax.identifier(registration)).*"] + featureColumns
        ctes.append(
            (features, "SELECT\n\(SQLSyntax.lines(select))\nFROM \(SQLSyntax.identifier(registration))" + joins.map { "\n\($0)" }.joined()))
        let last = addTagLayers(after: features)
        return header() + "WITH\n"
            + ctes.map { "\(SQLSyntax.identifier($0.name)) AS (\n\(SQLSyntax.indented($0.body))\n)" }.joined(separator: ",\n")
            + "\nSELECT\n" + SQLSyntax.lines(resultColumns())
            + "\nFROM \(SQLSyntax.identifier(last))\nORDER BY \(SQLSyntax.identifier(key))"
    }

    /// The registration fields tags read, with the key first, as the registration relation projects them.
    private mutating func addRegistrationFields(_ scan: SQLSourceScan) -> [(field: SQLField, alias: String)] {
        var read = Set<Int>()
        for tag in catalog.tags {
            for case .entityField(let i, _) in SQLPlanWalk.nodes(tag.plan) { read.insert(i) }
        }
        let fields = scan.fields
        var projected: [(field: SQLField, alias: String)] = []
        if let keyField = scan.keyField { projected.append((keyField, key)) }
        for i in read.sorted() {
            let alias = columns.claim(fields[i].spec.name)
            projected.append((fields[i], alias))
            scope.entityColumns[i] = fields[i].term(alias)
        }
        let usesPeers = catalog.tags.contains { tag in
            SQLPlanWalk.nodes(tag.plan).contains { if case .peerCount = $0 { true } else { false } }
        }
        if usesPeers, let peerField = fields.first(where: { $0.spec.name == TagCatalog.peerKeyField }) {
            let alias = columns.claim(peerField.spec.name)
            projected.append((peerField, alias))
            scope.peerKey = alias
        }
        return projected
    }

    /// `city(reg.region)`-like mappings of registration fields: a VALUES table each, joined once, so that
    /// the sixteen tags of a family that all read `city(reg.region)` share one lookup.
    private mutating func addCodeMaps(_ scan: SQLSourceScan) {
        var mappings: [PlanNode] = []
        for tag in catalog.tags {
            for node in SQLPlanWalk.nodes(tag.plan) {
                if case .mapCodes(.entityField, _) = node, !mappings.contains(node) { mappings.append(node) }
            }
        }
        var relationOfTable: [String: String] = [:]
        for node in mappings {
            guard case .mapCodes(.entityField(let field, _), let table) = node, let input = scope.entityColumns[field] else { continue }
            let map = SQLCodeMap(table: table, vocabulary: catalog.vocabulary, sources: catalog.sources)
            let relation: String
            if let existing = relationOfTable[map.relation(dialect)] {
                relation = existing
            } else {
                relation = relations.claim(map.name)
                relationOfTable[map.relation(dialect)] = relation
                ctes.append((relation, map.relation(dialect)))
            }
            let alias = SQLSyntax.identifier(relations.claim("map"))
            let name = columns.claim("\(map.name.split(separator: "_").first ?? "map")(\(scan.fields[field].spec.name))")
            joins.append(
                "LEFT JOIN \(SQLSyntax.identifier(relation)) AS \(alias) ON \(alias).\"code\" = \(SQLSyntax.identifier(registration)).\(input.sql)")
            featureColumns.append("\(alias).\"value\" AS \(SQLSyntax.identifier(name))")
            scope.mappedColumns[node] = SQLTerm(SQLSyntax.identifier(name), .category, nullable: true)
        }
    }

    /// One grouping per source, joined onto the registration; each aggregate becomes a features column.
    private mutating func addGroupings(_ aggregates: [AggregatePlan], files: [String: [String]]) {
        var groups: [Int: SQLSourceAggregates] = [:]
        var order: [Int] = []
        var termOfFeature: [String: SQLTerm] = [:]
        for plan in aggregates {
            if groups[plan.source] == nil {
                let schema = catalog.sources.sources[plan.source]
                let scan = SQLSourceScan(schema: schema, files: files[schema.name] ?? [], asOf: asOf, dialect: dialect)
                groups[plan.source] = SQLSourceAggregates(scan: scan, relation: relations.claim(schema.name))
                order.append(plan.source)
            }
            guard let feature = groups[plan.source]?.add(plan, catalog: catalog) else { continue }
            if let existing = termOfFeature[feature.sql] {
                scope.aggregateColumns[plan] = existing
                continue
            }
            let name = columns.claim(feature.name)
            let term = SQLTerm(SQLSyntax.identifier(name), feature.kind, nullable: feature.nullable, integral: feature.integral)
            termOfFeature[feature.sql] = term
            scope.aggregateColumns[plan] = term
            featureColumns.append("\(feature.sql) AS \(SQLSyntax.identifier(name))")
        }
        for source in order {
            guard let group = groups[source] else { continue }
            let relation = SQLSyntax.identifier(group.relation)
            ctes.append((group.relation, group.body(keyAlias: key)))
            joins.append(
                "LEFT JOIN \(relation) ON \(relation).\(SQLSyntax.identifier(key)) = \(SQLSyntax.identifier(registration)).\(SQLSyntax.identifier(key))")
        }
    }

    /// One `SELECT *, …` per depth of the tag dependency graph; returns the last relation's name.
    private mutating func addTagLayers(after first: String) -> String {
        var last = first
        for (depth, layer) in tagLayers().enumerated() {
            var definitions: [String] = []
            let translator = SQLExpressionTranslator(catalog: catalog, asOf: asOf, scope: scope, dialect: dialect)
            for i in layer {
                let tag = catalog.tags[i]
                let term = translator.translate(tag.plan, hint: SQLKind(tag.type))
                let (sql, kind, nullable) = Self.value(term, of: tag.type, dialect)
                definitions.append("\(SQLSyntax.unwrapped(sql)) AS \(SQLSyntax.identifier(tagNames[i]))")
                scope.tagColumns[i] = SQLTerm(SQLSyntax.identifier(tagNames[i]), kind, nullable: nullable, integral: term.integral)
            }
            let name = relations.claim("tags_\(depth + 1)")
            ctes.append((name, "SELECT\n\(SQLSyntax.lines(["*"] + definitions))\nFROM \(SQLSyntax.identifier(last))"))
            last = name
        }
        return last
    }

    /// The columns of tags.csv: `uscc`, then every tag in catalog order, spelled as tags.csv spells them
    /// where SQL types allow (booleans 1/0, numbers rounded to 4 decimals; in full precision for Spark).
    private func resultColumns() -> [String] {
        var outputs = ["\(SQLSyntax.identifier(key))\(key == "uscc" ? "" : " AS \"uscc\"")"]
        for (i, tag) in catalog.tags.enumerated() {
            guard let column = scope.tagColumns[i] else { continue }
            let value: String
            switch (tag.type, dialect) {
            case (.bool, _): value = "CAST(\(column.sql) AS INTEGER)"
            case (.number, .duckdb): value = "round(\(column.sql), 4)"
            // Full precision, as text so Spark writes no exponent-only spelling it cannot round-trip: `digitag run
            // --tags-from` scores these values, and the store must hold the doubles the engine would have computed.
            case (.number, .spark): value = "CAST(\(column.sql) AS STRING)"
            case (.date, _): value = column.date(dialect)
            case (.category, _): value = column.sql
            }
            outputs.append(value == SQLSyntax.identifier(tag.id) ? value : "\(value) AS \(SQLSyntax.identifier(tag.id))")
        }
        return outputs
    }

    /// A tag's value as its column holds it: booleans never NULL, a bare literal given its type.
    static func value(_ term: SQLTerm, of type: ValueType, _ dialect: SQLDialect) -> (String, SQLKind, Bool) {
        switch type {
        case .bool: return (term.condition, .bool, false)
        case .number: return (term.number, .number, term.nullable)
        case .date: return term.isLiteral ? (term.date(dialect), .date, false) : (term.sql, term.kind ?? .date, term.nullable)
        case .category: return (term.sql, .category, term.nullable)
        }
    }

    /// Tag indices by layer: a tag is in the layer after the deepest tag it reads; within a layer, in
    /// catalog order.
    func tagLayers() -> [[Int]] {
        var depth = [Int](repeating: 0, count: catalog.tags.count)
        for i in catalog.evaluationOrder {
            var d = 0
            for case .tag(let j, _) in SQLPlanWalk.nodes(catalog.tags[i].plan) { d = Swift.max(d, depth[j]) }
            depth[i] = d + 1
        }
        var layers = [[Int]](repeating: [], count: depth.max() ?? 0)
        for (i, d) in depth.enumerated() { layers[d - 1].append(i) }
        return layers
    }

    /// The comment that opens the query: what it computes, as of when, and how to run it.
    func header() -> String {
        """
        -- digitag tags as \(dialect == .duckdb ? "DuckDB" : "Spark") SQL: \(catalog.tags.count) tags as of \(asOf), generated by `digitag tags sql`.
        -- One row per enterprise established on or before \(asOf), in USCC order; columns as in tags.csv:
        -- uscc, then every tag id in catalog order. Booleans are 1/0, numbers \(dialect == .duckdb ? "rounded to 4 decimals" : "in full precision"), empty is NULL.
        -- Point in time: records whose event date is after \(asOf) are ignored; any other date after it reads
        -- as NULL unless the schema marks it planned.
        \(dialect.howToRun)

        """
    }
}
