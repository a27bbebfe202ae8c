import Foundation
import NightlyRun
import RunModel
import TestSupport
import Testing

/// Issue 14: a backfill does not move `current`; the run it published is not removed by its own retention.
@Suite("backfill publishing")
struct BackfillPublishingTests {
    func staging(_ root: String, _ name: String) -> String {
        let dir = root + "/.staging-" + name
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try! Data("{}".utf8).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
        return dir
    }

    func current(_ root: String) -> String? { try? FileManager.default.destinationOfSymbolicLink(atPath: root + "/current") }

    @Test("an earlier date leaves current alone; a later one, the first one, or makeCurrent moves it")
    func movesCurrent() throws {
        let root = TestPaths.temporaryDirectory("publish")
        _ = try Publisher.publish(staging: staging(root, "2024-12-31"), root: root, name: "2024-12-31", makeCurrent: false)
        #expect(current(root) == "2024-12-31")
        _ = try Publisher.publish(staging: staging(root, "2024-06-30"), root: root, name: "2024-06-30", makeCurrent: false)
        #expect(current(root) == "2024-12-31")
        #expect(FileManager.default.fileExists(atPath: root + "/2024-06-30/manifest.json"))
        _ = try Publisher.publish(staging: staging(root, "2025-01-01"), root: root, name: "2025-01-01", makeCurrent: false)
        #expect(current(root) == "2025-01-01")
        _ = try Publisher.publish(staging: staging(root, "2024-06-30"), root: root, name: "2024-06-30", makeCurrent: true)
        #expect(current(root) == "2024-06-30")
        // Re-publishing the current date keeps it current.
        _ = try Publisher.publish(staging: staging(root, "2024-06-30"), root: root, name: "2024-06-30", makeCurrent: false)
        #expect(current(root) == "2024-06-30")
    }

    @Test("retention never removes the run just published, even when it is the oldest")
    func retentionKeepsBackfill() throws {
        let root = TestPaths.temporaryDirectory("prune")
        for name in ["2024-12-29", "2024-12-30", "2024-12-31"] {
            _ = try Publisher.publish(staging: staging(root, name), root: root, name: name, makeCurrent: false)
        }
        _ = try Publisher.publish(staging: staging(root, "2024-06-30"), root: root, name: "2024-06-30", makeCurrent: false)
        // The backfill is the oldest of four with keep 3: its own run removes nothing (not a newer night either).
        #expect(try RunHistory.prune(root: root, keep: 3, keeping: "2024-06-30") == [])
        #expect(FileManager.default.fileExists(atPath: root + "/2024-06-30"))
        // The next night counts it like any run.
        #expect(try RunHistory.prune(root: root, keep: 3, keeping: "2024-12-31") == ["2024-06-30"])
    }
}
