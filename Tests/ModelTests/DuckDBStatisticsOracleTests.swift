import Foundation
import Model
import TestSupport
import Testing

/// AUC, KS, PSI, IV, Wilson and the deciles against an independent computation in DuckDB SQL (the project's
/// `.venv`), on a seeded fixture with many ties.
@Suite struct DuckDBStatisticsOracleTests {
    struct Row {
        var id: String
        var score: Double
        var problem: Bool
        var period: Int
        var category: String
    }

    /// 600 units: a whole-number score 0…40 (many ties), an outcome likelier at high scores, a period (0/1)
    /// whose scores are shifted, and a category with its own effect.
    static let rows: [Row] = {
        var random = SeededGenerator(seed: 42)
        return (0..<600).map { i in
            let period = i % 2
            let score = Double(min(40, random.index(36) + period * random.index(6)))
            let category = ["a", "b", "c", "d"][random.index(4)]
            let p = 0.05 + score / 60 + (category == "d" ? 0.15 : 0)
            return Row(id: String(format: "e%04d", i), score: score, problem: Double(random.index(10_000)) / 10_000 < p, period: period, category: category)
        }
    }()

    static let queries: [(String, String)] = [
        (
            "auc",
            """
            WITH r AS (SELECT problem, rank() OVER (ORDER BY score) + (count(*) OVER (PARTITION BY score) - 1) / 2.0 AS ar FROM t)
            SELECT (sum(ar) FILTER (WHERE problem) - count(*) FILTER (WHERE problem) * (count(*) FILTER (WHERE problem) + 1) / 2.0)
                   / (count(*) FILTER (WHERE problem) * count(*) FILTER (WHERE NOT problem)) FROM r
            """
        ),
        (
            "ks",
            """
            WITH g AS (SELECT score, count(*) FILTER (WHERE problem) AS p, count(*) FILTER (WHERE NOT problem) AS n FROM t GROUP BY score),
            c AS (SELECT sum(p) OVER (ORDER BY score) / sum(p) OVER () AS cp, sum(n) OVER (ORDER BY score) / sum(n) OVER () AS cn FROM g)
            SELECT max(abs(cp - cn)) FROM c
            """
        ),
        (
            "psi",
            """
            WITH c AS (SELECT least(floor(score / 10), 3) AS b, count(*) FILTER (WHERE period = 0) AS e, count(*) FILTER (WHERE period = 1) AS a FROM t GROUP BY b),
            s AS (SELECT e / sum(e) OVER () AS es, a / sum(a) OVER () AS sa FROM c)
            SELECT sum((sa - es) * ln(sa / es)) FROM s
            """
        ),
        (
            "iv",
            """
            WITH c AS (SELECT category, count(*) FILTER (WHERE problem) AS p, count(*) FILTER (WHERE NOT problem) AS n FROM t GROUP BY category),
            s AS (SELECT p / sum(p) OVER () AS ps, n / sum(n) OVER () AS ns FROM c)
            SELECT sum((ps - ns) * ln(ps / ns)) FROM s
            """
        ),
        (
            "wilson_lower",
            """
            WITH s AS (SELECT avg(problem::INT) AS p, count(*) AS n, 1.959964 AS z FROM t WHERE score >= 30)
            SELECT ((p + z*z/(2*n)) - z * sqrt(p*(1-p)/n + z*z/(4*n*n))) / (1 + z*z/n) FROM s
            """
        ),
        (
            "wilson_upper",
            """
            WITH s AS (SELECT avg(problem::INT) AS p, count(*) AS n, 1.959964 AS z FROM t WHERE score >= 30)
            SELECT ((p + z*z/(2*n)) + z * sqrt(p*(1-p)/n + z*z/(4*n*n))) / (1 + z*z/n) FROM s
            """
        ),
        ("deciles", "SELECT string_agg(d::VARCHAR, ' ' ORDER BY id) FROM (SELECT id, ntile(10) OVER (ORDER BY score DESC, id) AS d FROM t)"),
    ]

    /// Runs every query with DuckDB over the fixture; returns name → the single value as text.
    static func duckdb() throws -> [String: String] {
        let dir = TestPaths.temporaryDirectory("model-oracle")
        var csv = "id,score,problem,period,category\n"
        for r in rows { csv += "\(r.id),\(Int(r.score)),\(r.problem),\(r.period),\(r.category)\n" }
        let data = TestPaths.write(csv, to: dir, "fixture.csv")
        var script = "import duckdb, sys\ncon = duckdb.connect()\n"
        script += "con.execute(\"CREATE TABLE t AS SELECT * FROM read_csv('\(data)', header=true, columns={'id':'VARCHAR','score':'DOUBLE','problem':'BOOLEAN','period':'INTEGER','category':'VARCHAR'})\")\n"
        for (name, sql) in queries {
            script += "print('\(name)=' + str(con.execute(\"\"\"\(sql)\"\"\").fetchone()[0]))\n"
        }
        let path = TestPaths.write(script, to: dir, "oracle.py")
        let python = TestPaths.repo(".venv/bin/python")
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw OracleMissing(description: "no \(python): run scripts/duckdb-venv.sh (make oracle-env) to create it")
        }
        let r = try ProcessRunner.run(python, [path])
        guard r.status == 0 else { throw OracleMissing(description: "DuckDB failed: \(r.stderr)") }
        var values: [String: String] = [:]
        for line in r.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return values
    }

    struct OracleMissing: Error, CustomStringConvertible { var description: String }

    @Test func statisticsMatchDuckDB() throws {
        let sql = try Self.duckdb()
        let rows = Self.rows
        let scores = rows.map(\.score)
        let outcomes = rows.map(\.problem)
        func value(_ name: String) -> Double { Double(sql[name] ?? "") ?? .nan }

        #expect(abs(RankAUC.auc(scores: scores, outcomes: outcomes) - value("auc")) < 1e-12)
        #expect(abs(KolmogorovSmirnov.statistic(scores: scores, outcomes: outcomes) - value("ks")) < 1e-12)

        let edges: [Double] = [10, 20, 30]
        let expected = PopulationStability.counts(rows.filter { $0.period == 0 }.map(\.score), edges: edges)
        let actual = PopulationStability.counts(rows.filter { $0.period == 1 }.map(\.score), edges: edges)
        #expect(abs(PopulationStability.index(expected: expected, actual: actual) - value("psi")) < 1e-12)

        let iv = WoEBinning.categorical(values: rows.map(\.category), outcomes: outcomes, minShare: 0).informationValue
        #expect(abs(iv - value("iv")) < 1e-12)

        let top = rows.filter { $0.score >= 30 }
        let w = WilsonInterval(successes: Double(top.filter(\.problem).count), trials: Double(top.count))
        #expect(abs(w.lower - value("wilson_lower")) < 1e-12)
        #expect(abs(w.upper - value("wilson_upper")) < 1e-12)

        let deciles = Deciles.assign(scores: scores, keys: rows.map(\.id))
        #expect(deciles.map(String.init).joined(separator: " ") == sql["deciles"])
    }
}
