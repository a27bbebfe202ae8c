import Foundation

/// Runs a query file with the DuckDB Python package of `.venv`.
enum DuckDBRunner {
    /// What the Python side does: read the query, drop the `;` that `digitag tags sql` ends it with, and
    /// `COPY (query) TO 'output'` — the way the command's help tells an analyst to export the tags.
    private static let script = """
        import sys, time, duckdb
        query_file, output = sys.argv[1], sys.argv[2]
        query = open(query_file, encoding="utf-8").read().strip()
        if query.endswith(";"):
            query = query[:-1]
        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        start = time.perf_counter()
        con.execute("COPY (\\n" + query + "\\n) TO '" + output.replace("'", "''") + "' (HEADER, DELIMITER ',')")
        print(f"{time.perf_counter() - start:.3f}")
        """

    /// Writes the result of the query in `queryFile` to `output` as CSV with a header; returns the seconds
    /// DuckDB took (planning and execution).
    static func copy(queryFile: String, to output: String) throws -> Double {
        try OracleEnvironment.requireDuckDB()
        let printed = try OracleEnvironment.run(OracleEnvironment.python, ["-c", script, queryFile, output])
        let lastLine = printed.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return Double(lastLine.trimmingCharacters(in: .whitespaces)) ?? .nan
    }
}
