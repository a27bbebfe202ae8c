import Foundation
import TestSupport
import Testing

/// A machine that refuses to write (a full disk, a path that is not a folder) is an environment failure:
/// exit 8, a message naming the file and what to do, nothing published, the previous run intact.
///
/// Write failures are injected with `DIGITAG_TEST_FAIL_WRITE=<part of a path>` (see `OutputFile`), which makes
/// creating that file fail with ENOSPC exactly as a full disk would — at each writer in turn.
@Suite(.serialized) struct EnvironmentFailureTests {
    static let asOf = "2024-12-31"

    func runInto(_ out: String, environment: [String: String] = [:]) throws -> CLI.Result {
        try CLI.run(
            ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", TestPaths.repo("SampleData"), "--as-of", Self.asOf,
             "--out", out], environment: environment)
    }

    @Test(
        "a full disk at any writer: exit 8, the file named, nothing published, the previous run intact",
        arguments: ["spill", "rejects", "tags.csv", "classes.csv", "profile.dts", "manifest.json", "report.html"])
    func fullDiskAtEachWriter(_ file: String) throws {
        let out = TestPaths.temporaryDirectory("runs-env")
        let first = try runInto(out)
        try #require(first.status == 0, "\(first.stderr)")
        let published = try FileManager.default.destinationOfSymbolicLink(atPath: out + "/current")
        let classesBefore = TestPaths.read(out + "/" + Self.asOf + "/classes.csv")

        let failed = try runInto(out, environment: ["DIGITAG_TEST_FAIL_WRITE": file])
        #expect(failed.status == 8, "\(failed.stderr)")
        #expect(failed.stderr.contains(file), "\(failed.stderr)")
        #expect(failed.stderr.contains("No space left on device"))
        #expect(failed.stderr.contains("nothing was published"))
        #expect(!failed.stderr.contains("internal error"))
        // The earlier run is still the current one, byte for byte.
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: out + "/current") == published)
        #expect(TestPaths.read(out + "/" + Self.asOf + "/classes.csv") == classesBefore)
        // The failure is in the metrics with its exit code; the last success is the first run's.
        let metrics = TestPaths.read(out + "/metrics.prom")
        #expect(metrics.contains("digitag_run_success 0\n") && metrics.contains("digitag_run_exit_code 8\n"), "\(metrics)")
        #expect(metrics.contains("digitag_last_success_timestamp_seconds"))
    }

    @Test("an output path under a file (not a folder) is an environment failure naming it")
    func outputUnderAFile() throws {
        let dir = TestPaths.temporaryDirectory("runs-env")
        let file = TestPaths.write("not a folder", to: dir, "plain-file")
        let r = try runInto(file + "/runs")
        #expect(r.status == 8, "\(r.stderr)")
        #expect(r.stderr.contains(file), "\(r.stderr)")
        #expect(!r.stderr.contains("internal error"))
    }
}
