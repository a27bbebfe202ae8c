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

    public init(root: String, pipeline: @escaping @Sendable (String) throws -> PipelineDefinition) {
        self.root = root
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
        let made = try RunSnapshot(directory: directory, definition: try pipeline(directory))
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
        return RunHistory.list(root: root).filter { $0.manifest != nil && $0.name <= last }.map {
            URL(fileURLWithPath: FileSystem.join(root, $0.name)).resolvingSymlinksInPath().path
        }
    }
}
