import Foundation
import TestSupport
import Testing

/// A run killed with SIGKILL leaves nothing that looks complete, and running the same command again
/// gives exactly the bytes of an uninterrupted run.
///
/// The kill comes from the run itself at a known point (`DIGITAG_TEST_KILL_AFTER`, Sources/Pipeline/TestHooks.swift),
/// not from a timer: a kill after a sleep may land after the run has finished, and a test that accepts
/// either outcome passes whether or not a killed run is handled.
@Suite(.serialized) struct CrashTests {
    /// Four shards, so that "half of derive" falls between two waves of shards (with one shard it never fires).
    static let shards = ["--shards", "4"]

    @Test(arguments: ["ingest", "half of derive"])
    func killedRunLeavesNothingCompleteAndRerunCompletes(after stage: String) throws {
        let out = TestPaths.temporaryDirectory("crash")
        let args =
            ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", TestPaths.repo("SampleData"), "--as-of", "2024-12-31", "--out", out]
            + Self.shards
        let killed = try CLI.run(args, environment: ["DIGITAG_TEST_KILL_AFTER": stage])
        try #require(killed.status == SIGKILL, "the run was not killed after '\(stage)' (exit status \(killed.status)), so nothing here is tested: \(killed.stderr)")

        let fm = FileManager.default
        #expect(!fm.fileExists(atPath: out + "/current"), "a killed run must not be published")
        #expect(!fm.fileExists(atPath: out + "/2024-12-31"), "a killed run must not leave a run directory")
        // Only hidden work remains (the staging folder, the lock): nothing a reader would take for a run.
        let left = try fm.contentsOfDirectory(atPath: out)
        #expect(left.allSatisfy { $0.hasPrefix(".") }, "visible after the kill: \(left)")
        #expect(left.contains(".staging-2024-12-31"), "the interrupted work should be in its staging folder: \(left)")
        #expect(!fm.fileExists(atPath: out + "/.staging-2024-12-31/manifest.json"), "the staging folder must not look complete")

        let again = try CLI.run(args)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(fm.fileExists(atPath: out + "/2024-12-31/manifest.json"))
        #expect(try fm.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".staging-") }.isEmpty)
        let reference = RunTests.sampleRun.dir
        for file in ["classes.csv", "tags.csv", "rejects/penalties.csv", "store/profile.dts"] {
            let a = fm.contents(atPath: out + "/2024-12-31/" + file)
            #expect(a != nil && a == fm.contents(atPath: reference + "/" + file), "\(file)")
        }
    }
}
