import DataContract

/// A code-to-code table of the catalog (`city(region)`, `section(industry)`) spelled as SQL.
///
/// The plan holds these as arrays over vocabulary codes; the query needs them as text pairs. Shipped as a
/// `VALUES` list inside the query, so the SQL runs on the input files alone, without `Pipelines/`.
struct SQLCodeMap {
    /// A readable name for the table (`city_of_region`), found by matching it against the pipeline's
    /// reference tables.
    let name: String
    /// (code, mapped code), in code order.
    let pairs: [(from: String, to: String)]

    init(table: [Int32], vocabulary: Vocabulary, sources: SourceCatalog) {
        var pairs: [(from: String, to: String)] = []
        for (code, mapped) in table.enumerated() where mapped >= 0 {
            if let from = vocabulary.text(Int32(code)), let to = vocabulary.text(mapped) { pairs.append((from, to)) }
        }
        pairs.sort { Array($0.from.utf8).lexicographicallyPrecedes(Array($1.from.utf8)) }
        self.pairs = pairs
        func matches(_ t: ReferenceTable, _ from: String, _ to: String) -> Bool {
            let reference = Dictionary(zip(t.column(from), t.column(to)), uniquingKeysWith: { first, _ in first })
            return !pairs.isEmpty && pairs.allSatisfy { reference[$0.from] == $0.to }
        }
        if matches(sources.regions, "code", "city_code") {
            name = "city_of_region"
        } else if matches(sources.industries, "code", "section") {
            name = "section_of_industry"
        } else {
            name = "code_map"
        }
    }

    /// The table as a CTE body: `SELECT * FROM (VALUES ('370102', '3701'), …) AS t("code", "value")`.
    func relation(_ dialect: SQLDialect) -> String {
        let rows = pairs.map { "(\(dialect.string($0.from)), \(dialect.string($0.to)))" }
        return "SELECT * FROM (VALUES\n\(SQLSyntax.lines(rows))\n) AS t(\"code\", \"value\")"
    }

    /// The mapping as one expression over `input`, for places a join cannot reach (inside a `FILTER`).
    func caseExpression(_ input: String, _ dialect: SQLDialect) -> String {
        guard !pairs.isEmpty else { return "CAST(NULL AS VARCHAR)" }
        let whens = pairs.map { "WHEN \(dialect.string($0.from)) THEN \(dialect.string($0.to))" }.joined(separator: " ")
        return "CASE \(input) \(whens) END"
    }
}
