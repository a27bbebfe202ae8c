import Foundation
import TestSupport
import Testing

/// A run killed with SIGKILL at any point leaves nothing that looks complete, and running the same
/// command again gives exactly the bytes of an uninterrupted run.
@Suite(.serialized) struct CrashTests {
    @Test(arguments: [0.3, 1.2, 2.5])
    func killedRunLeavesNothingCompleteAndRerunCompletes(afterSeconds delay: Double) throws {
        let out = TestPaths.temporaryDirectory("crash")
        let args = ["run", "--pipeline", TestPaths.repo("Pipelines/shandong.yaml"), "--input", TestPaths.repo("SampleData"), "--as-of", "2024-12-31", "--out", out]
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLI.binary)
        p.arguments = args
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        Thread.sleep(forTimeInterval: delay)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let fm = FileManager.default
        let published = fm.fileExists(atPath: out + "/current")
        if published {
            // The run finished before the kill: then it must be complete.
            #expect(fm.fileExists(atPath: out + "/2024-12-31/manifest.json"))
        } else {
            #expect(!fm.fileExists(atPath: out + "/2024-12-31"), "a killed run must not leave a run directory")
        }
        let again = try CLI.run(args)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try fm.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".staging-") }.isEmpty)
        let reference = RunTests.sampleRun.dir
        for file in ["classes.csv", "tags.csv", "rejects/penalties.csv"] {
            #expect(fm.contents(atPath: out + "/2024-12-31/" + file) == fm.contents(atPath: reference + "/" + file), "\(file)")
        }
    }
}
