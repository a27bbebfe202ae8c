import DigiTagBase
import Foundation
import RunModel
import Synchronization

/// The published runs the server reads: `<root>/current`, resolved on every request, so a newly published
/// run is served from the next request on without a restart; and the other retained runs, for a profile's
/// history and the dashboard's trend. Never writes under the root.
///
/// Each run is read with the pipeline it was made with (its own copy in `<run>/pipeline/`), loaded once per
/// run folder: a run published after the catalog changed is served with its catalog and sensitivities, and
/// an older one with its own.
public final class PublishedRuns: Sendable {
    public let root: String
    /// The pipeline to read a run folder with (`RunPipelineCopy.load`, or a fixed one in tests).
    let pipeline: @Sendable (String) throws -> PipelineDefinition
    /// Snapshots by resolved run folder; a folder retention removed is dropped at the next miss.
    let opened = Mutex<[String: RunSnapshot]>([:])
    /// The retained run folders, with the fingerprint of the root they were listed under (a run published or
    /// pruned changes the root folder's modification time).
    let listed = Mutex<(stamp: String, runs: [(name: String, path: String)])?>(nil)
    /// Entries of each run's segment cache (0: none).
    let segmentCache: Int

    public init(root: String, segmentCache: Int = 64, pipeline: @escaping @Sendable (String) throws -> PipelineDefinition) {
        self.root = root
        self.segmentCache = segmentCache
        self.pipeline = pipeline
    }

    /// The folder `current` points to now, or a `ServeError` saying there is no published run.
    func currentDirectory() throws -> String {
        let link = FileSystem.join(root, "current")
        guard FileSystem.isDirectory(link) else {
            throw ServeError(
                .environment, "no published run in \(root) (no '\(link)')",
                advice: "run the pipeline first ('digitag run --out \(root)'), or pass the folder that holds 'current' with --runs")
        }
        return URL(fileURLWithPath: link).resolvingSymlinksInPath().path
    }

    /// The snapshot of the current run.
    public func current() throws -> RunSnapshot { try snapshot(directory: try currentDirectory()) }

    /// The snapshot of a run folder, opened (store, pipeline, clearances) once per folder — again when the
    /// folder was replaced (a date run again), which its manifest's size and time tell.
    public func snapshot(directory: String) throws -> RunSnapshot {
        let stamp = RunSnapshot.stamp(directory)
        if let s = opened.withLock({ $0[directory] }), s.stamp == stamp { return s }
        let made = try RunSnapshot(directory: directory, definition: try pipeline(directory), segmentCache: segmentCache)
        return opened.withLock { open in
            for d in open.keys where !FileSystem.isDirectory(d) { open[d] = nil }
            if let s = open[directory], s.stamp == stamp { return s }
            open[directory] = made
            return made
        }
    }

    /// The published runs under the root up to and including `until` (the current run's folder), oldest
    /// first: what a profile's class history and the dashboard's trend go through.
    public func retained(until directory: String) -> [String] {
        let last = URL(fileURLWithPath: directory).lastPathComponent
        return published().filter { $0.name <= last }.map(\.path)
    }

    /// Every published run folder under the root (resolved), oldest first; listed again (with the manifests
    /// read) only when the root folder changed.
    func published() -> [(name: String, path: String)] {
        let stamp = FileSystem.fingerprint(root)
        if let l = listed.withLock({ $0 }), l.stamp == stamp { return l.runs }
        let runs = RunHistory.list(root: root).filter { $0.manifest != nil }.map {
            (name: $0.name, path: URL(fileURLWithPath: FileSystem.join(root, $0.name)).resolvingSymlinksInPath().path)
        }
        listed.withLock { $0 = (stamp, runs) }
        return runs
    }

    /// Opens every retained run on a thread of its own, so the first profile (its class history) or dashboard
    /// (its trend) does not open them all while someone waits. A run that cannot be opened is left for the
    /// request that needs it, which reports why.
    public func openRetainedInBackground() {
        let thread = Thread { [self] in
            for run in published() { _ = try? snapshot(directory: run.path) }
        }
        thread.name = "digitag-open-runs"
        thread.start()
    }
}
