import Foundation
import TestSupport
import Testing

/// `digitag tags sql` as a user meets it: its help, its output, and its errors.
struct TagsSQLCommandTests {
    @Test("help teaches how to run the query in DuckDB")
    func help() throws {
        try OracleEnvironment.requireBinary()
        let help = try OracleEnvironment.run(OracleEnvironment.binary, ["tags", "sql", "--help"])
        #expect(help.contains("duckdb -csv -nullvalue '' -c \".read tags.sql\""))
        #expect(help.contains("COPY ("))
        #expect(help.contains("--as-of"))
    }

    @Test("the query goes to standard output, one statement ending in ';'")
    func standardOutput() throws {
        let input = TestPaths.temporaryDirectory("digitag-sql-stdout")
        defer { try? FileManager.default.removeItem(atPath: input) }
        try OracleEnvironment.digitag(["generate", "--enterprises", "20", "--seed", "3", "--out", input])
        let sql = try OracleEnvironment.digitag(["tags", "sql", "--input", input, "--as-of", "2024-12-31"])
        #expect(sql.hasPrefix("-- digitag tags as DuckDB SQL"))
        #expect(sql.hasSuffix(";\n"))
        let code = sql.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
        // Outside string literals (reasons are joined with '; ', as in the rejects files).
        let outsideLiterals = code.split(separator: "'", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 0 }
            .map(\.element).joined()
        #expect(outsideLiterals.filter { $0 == ";" }.count == 1, "one statement, so it can be wrapped in COPY (…)")
        #expect(sql.contains("\(input)/tax/filings.csv.zst"), "the files present are listed, compressed ones too")
    }

    @Test("--dialect spark reads each source from its view, with none of DuckDB's own functions")
    func sparkDialect() throws {
        let input = TestPaths.temporaryDirectory("digitag-sql-spark")
        defer { try? FileManager.default.removeItem(atPath: input) }
        try OracleEnvironment.digitag(["generate", "--enterprises", "20", "--seed", "3", "--out", input])
        let sql = try OracleEnvironment.digitag(["tags", "sql", "--input", input, "--as-of", "2024-12-31", "--dialect", "spark"])
        #expect(sql.hasPrefix("-- digitag tags as Spark SQL"))
        let code = sql.split(separator: "\n").filter { !$0.hasPrefix("--") }.joined(separator: "\n")
        // DuckDB-only spellings that Spark would reject or read differently.
        for duckdbOnly in ["read_csv(", "arg_max_null(", "try(", "trunc("] {
            #expect(!code.contains(duckdbOnly), "\(duckdbOnly) in the Spark query")
        }
        #expect(code.contains("FROM \"registration\""), "the registration is read from the job's view")
        #expect(code.contains("FROM \"tax_filings\""))
        #expect(code.contains("max_by("), "latest/earliest keep the latest record's empty value")
        #expect(code.contains("datediff("), "days between dates are integers, not intervals")
        #expect(!code.contains(input), "no file path: the job reads the files")
        let bad = try OracleEnvironment.execute(OracleEnvironment.binary, ["tags", "sql", "--as-of", "2024-12-31", "--dialect", "hive"])
        #expect(bad.status == 64, "an unknown dialect is a usage error")
    }

    @Test("a missing source file is bad input (exit 3), named like `digitag run` names it")
    func missingInput() throws {
        try OracleEnvironment.requireBinary()
        let empty = TestPaths.temporaryDirectory("digitag-sql-empty")
        defer { try? FileManager.default.removeItem(atPath: empty) }
        let result = try OracleEnvironment.execute(
            OracleEnvironment.binary, ["tags", "sql", "--input", empty, "--as-of", "2024-12-31"])
        #expect(result.status == 3)
        #expect(result.stderr.contains("no file for source registration"))
        #expect(result.stdout.isEmpty)
    }

    @Test("an impossible as-of date is a usage error")
    func badDate() throws {
        try OracleEnvironment.requireBinary()
        let result = try OracleEnvironment.execute(OracleEnvironment.binary, ["tags", "sql", "--as-of", "2024-02-30"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("The value '2024-02-30' is invalid for '--as-of <as-of>'"), "\(result.stderr)")
        #expect(result.stderr.contains("YYYY-MM-DD"), "\(result.stderr)")
    }
}
