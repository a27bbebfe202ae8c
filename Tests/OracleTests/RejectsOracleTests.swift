import DataContract
import DigiTagIO
import Foundation
import TestSupport
import Testing

/// Issue #18: the SQL replays ingest validation. On SampleData with its bad rows, and on the hostile
/// deliveries of HostileDeliveryTests that a run accepts (rather than refusing a whole file), DuckDB running
/// `digitag tags sql` agrees with the engine on every tag of every enterprise, and `digitag tags sql
/// --rejects` lists exactly the engine's rejects: the same source, file, line, field and reason.
@Suite(.serialized)
struct RejectsOracleTests {
    /// SampleData with its own bad rows plus the edits of HostileDeliveryTests that the run accepts (a NUL in a name, a registration with an
    /// impossible date whose enterprise has penalties, employees = -5, a licence valid until 9999-12-31, a
    /// same-size edit of a fine), plus a registration delivered twice, a penalty delivered twice (a natural
    /// key repeat: the first read is kept), a record of an unknown enterprise, a short and a long row.
    // One test, not two: this input is SampleData with every one of its bad rows plus the hostile edits, so a
    // separate run on SampleData alone (each tags query costs DuckDB ~30 s) would check nothing more.
    @Test("SampleData's bad rows and hostile deliveries: same tags, same rejects")
    func hostileDeliveries() throws {
        let work = TestPaths.temporaryDirectory("digitag-oracle-rejects-hostile")
        let input = work + "/in"
        try FileManager.default.copyItem(atPath: TestPaths.repo("SampleData"), toPath: input)
        func edit(_ name: String, _ body: (inout [[String]]) -> Void) throws {
            let path = input + "/" + name
            var rows = TestPaths.read(path).components(separatedBy: "\n").map { $0.components(separatedBy: ",") }
            body(&rows)
            try rows.map { $0.joined(separator: ",") }.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
        let penalised = Set(TestPaths.read(input + "/market/penalties.csv").components(separatedBy: "\n").dropFirst().map { String($0.prefix(18)) })
        try edit("market/enterprises.csv") { rows in
            rows[3][1] = "甲\0乙"
            let broken = rows.indices.first { $0 > 3 && penalised.contains(rows[$0][0]) }!
            rows[broken][6] = "2019-02-30"
            rows.insert(rows[8], at: rows.count - 1)  // delivered twice: the second is a duplicate registration
            rows[9][2] = "Company"  // an enum with a suggestion
        }
        try edit("market/annual_reports.csv") { rows in
            rows[1][3] = "-5"
            rows[2].removeLast()  // a short row
            rows[3].append("extra")  // a long row
        }
        try edit("market/licences.csv") { rows in rows[1][3] = "9999-12-31" }
        try edit("market/penalties.csv") { rows in
            rows.insert(rows[4], at: 6)  // the same penalty twice: a natural key repeat
            rows[2][0] = "91370102MA3C4XYZ1" + "X"  // no such enterprise (or a bad check character)
        }
        var text = TestPaths.read(input + "/market/penalties.csv")
        if let range = text.range(of: ",serious,61600") { text.replaceSubrange(range, with: ",serious,91600") }
        try text.write(toFile: input + "/market/penalties.csv", atomically: true, encoding: .utf8)
        try Self.compare(input: input, work: work)
    }

    /// Runs the engine, the tags query and the rejects query on `input`; expects every cell and every
    /// reject to agree.
    static func compare(input: String, work: String) throws {
        let asOf = "2024-12-31"
        let pipeline = TestPaths.repo("Pipelines/shandong.yaml")
        let run = try OracleRun.run(pipeline: pipeline, input: input, asOf: asOf, work: work)
        print("oracle with rejects (\(input)): \(run.summary)")
        let agree = run.comparison.structuralProblems.isEmpty && run.comparison.mismatchCounts.isEmpty
        #expect(agree, "\(run.report())")

        let query = work + "/rejects.sql"
        let output = work + "/rejects-duckdb.csv"
        try OracleEnvironment.digitag(["tags", "sql", "--pipeline", pipeline, "--input", input, "--as-of", asOf, "--rejects", "--out", query])
        _ = try DuckDBRunner.copy(queryFile: query, to: output)
        var sql: [String] = []
        for row in try ReferenceTable.load(output, requiredColumns: ["source", "file", "line", "field", "reason"]).rows {
            sql.append(row[0..<5].joined(separator: " | "))
        }
        var engine: [String] = []
        let rejects = "\(work)/runs-\(asOf)/\(asOf)/rejects"
        for name in try FileManager.default.contentsOfDirectory(atPath: rejects) where name.hasSuffix(".csv") {
            let source = String(name.dropLast(4))
            for row in try ReferenceTable.load(rejects + "/" + name, requiredColumns: ["file", "line", "field", "reason", "raw"]).rows {
                engine.append(([source] + row[0..<4]).joined(separator: " | "))
            }
        }
        #expect(engine.count > 20, "the input must have rejects to compare")
        let onlyEngine = Set(engine).subtracting(sql).sorted()
        let onlySQL = Set(sql).subtracting(engine).sorted()
        #expect(onlyEngine.isEmpty && onlySQL.isEmpty && engine.count == sql.count,
                "rejects differ (\(engine.count) engine, \(sql.count) SQL)\nonly the engine:\n\(onlyEngine.joined(separator: "\n"))\nonly SQL:\n\(onlySQL.joined(separator: "\n"))")
        run.cleanUp(work, keep: !(agree && onlyEngine.isEmpty && onlySQL.isEmpty))
    }
}
