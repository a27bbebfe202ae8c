import DigiTagBase
import Foundation
import RunModel
import Synchronization

/// The published runs the server reads: `<root>/current`, resolved on every request, so a newly published
/// run is served from the next request on without a restart. Never writes under the root.
public final class PublishedRuns: Sendable {
    public let root: String
    public let definition: PipelineDefinition
    let clearance: TagClearance
    let latest = Mutex<RunSnapshot?>(nil)

    public init(root: String, definition: PipelineDefinition) {
        self.root = root
        self.definition = definition
        clearance = TagClearance(catalog: definition.catalog, risk: definition.risk)
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

    /// The snapshot of the current run, opened once per published run.
    public func current() throws -> RunSnapshot {
        let directory = try currentDirectory()
        if let s = latest.withLock({ $0 }), s.directory == directory { return s }
        let opened = try RunSnapshot(directory: directory, definition: definition, clearance: clearance)
        latest.withLock { $0 = opened }
        return opened
    }
}
