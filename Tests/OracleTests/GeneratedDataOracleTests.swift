import Foundation
import TestSupport
import Testing

/// The shipped catalog on 1,500 generated enterprises: the engine and DuckDB, running the query of
/// `digitag tags sql`, must agree on every tag of every enterprise.
///
/// Two as-of dates: the generator's "today", and a date one and a half years earlier, when some enterprises
/// did not exist yet, records had not happened yet and removals from lists were still in the future.
@Suite(.serialized)
struct GeneratedDataOracleTests {
    /// The generated input, made once per test process and shared by both dates.
    static let input: Result<String, OracleError> = {
        let directory = TestPaths.temporaryDirectory("digitag-oracle-generated")
        do {
            try OracleEnvironment.digitag(["generate", "--enterprises", "1500", "--seed", "7", "--out", directory])
            return .success(directory)
        } catch let error as OracleError {
            return .failure(error)
        } catch {
            return .failure(OracleError("\(error)"))
        }
    }()

    @Test("every tag of every enterprise agrees with DuckDB", arguments: ["2024-12-31", "2023-06-30"])
    func everyTagAgrees(asOf: String) throws {
        let input = try Self.input.get()
        let work = TestPaths.temporaryDirectory("digitag-oracle-\(asOf)")
        let run = try OracleRun.run(pipeline: TestPaths.repo("Pipelines/shandong.yaml"), input: input, asOf: asOf, work: work)
        print("oracle as of \(asOf): \(run.summary)")
        #expect(run.comparison.enterpriseCount > 1000, "the comparison must cover the generated enterprises")
        #expect(run.comparison.tagCount > 100, "the comparison must cover the shipped catalog")
        let agree = run.comparison.structuralProblems.isEmpty && run.comparison.mismatchCounts.isEmpty
        #expect(agree, "\(run.report())")
        run.cleanUp(work, keep: !agree)
    }
}
