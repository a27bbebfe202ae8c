import Foundation

/// One oracle comparison: the engine's run and DuckDB's result of `digitag tags sql`, for one pipeline,
/// input and as-of date.
struct OracleRun {
    let comparison: TagTableComparison
    /// Tag expressions from the run's `tag_catalog.csv`, to print beside a disagreeing tag.
    let expressions: [String: String]
    /// DuckDB's time to plan and run the query and write its CSV.
    let duckdbSeconds: Double

    /// Runs `digitag run`, `digitag tags sql` and DuckDB into `work`, then compares every cell.
    static func run(pipeline: String, input: String, asOf: String, work: String) throws -> OracleRun {
        let runs = "\(work)/runs-\(asOf)"
        let query = "\(work)/tags-\(asOf).sql"
        let duckOutput = "\(work)/duckdb-\(asOf).csv"
        try OracleEnvironment.digitag(["run", "--pipeline", pipeline, "--input", input, "--as-of", asOf, "--out", runs])
        try OracleEnvironment.digitag(["tags", "sql", "--pipeline", pipeline, "--input", input, "--as-of", asOf, "--out", query])
        let seconds = try DuckDBRunner.copy(queryFile: query, to: duckOutput)
        let catalog = try TagTable.catalog("\(runs)/\(asOf)/tag_catalog.csv")
        let comparison = TagTableComparison(
            engine: try TagTable.read("\(runs)/\(asOf)/tags.csv"), duckdb: try TagTable.read(duckOutput), types: catalog.types)
        return OracleRun(comparison: comparison, expressions: catalog.expressions, duckdbSeconds: seconds)
    }

    /// The disagreements, leaving out `excluded`, as a report; empty when everything agrees.
    func report(excluding excluded: Set<String> = []) -> String {
        comparison.report(excluding: excluded, expressions: expressions)
    }

    /// Removes `work` when everything agreed; keeps it (and says where) when there is something to inspect.
    func cleanUp(_ work: String, keep: Bool) {
        if keep {
            print("oracle files kept for inspection: \(work)")
        } else {
            try? FileManager.default.removeItem(atPath: work)
        }
    }

    var summary: String {
        "\(comparison.tagCount) tags × \(comparison.enterpriseCount) enterprises = \(comparison.comparedCells) values compared; "
            + "DuckDB \(String(format: "%.2f", duckdbSeconds)) s"
    }
}
