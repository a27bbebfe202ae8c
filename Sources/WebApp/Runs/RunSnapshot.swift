import DigiTagBase
import Foundation
import ProfileStore
import Query
import RunModel
import Synchronization

/// One published run opened for serving: its store, the query engine over it, the pipeline it was made
/// with and the tag clearances of that pipeline, its name index, and (on first use) its census.
///
/// A request takes the snapshot once and keeps it to the end, so it finishes on the run it started on even
/// if `current` moves meanwhile; the open store file stays readable after retention removes the folder.
public final class RunSnapshot: @unchecked Sendable {
    // @unchecked Sendable: `query` (the store reader's cursor-less methods and the query engine's caches) is
    // touched only inside `withStore`, under `lock`; the census is behind its own mutex; the rest is immutable.
    /// The run folder (resolved), e.g. `runs/2024-12-31`.
    public let directory: String
    public let meta: StoreMeta
    /// The pipeline the run was made with (its own copy).
    public let definition: PipelineDefinition
    public let clearance: TagClearance
    /// `store/names.idx`; nil for a run published before runs had one.
    let nameIndex: NameIndexReader?
    /// `store/peers.idx`: each enterprise's legal-representative group; nil for a run without one.
    let peerGroups: [Int32]?
    let query: StoreQuery
    let lock = NSLock()
    private let counted = Mutex<RunCensus?>(nil)

    /// The manifest's size and modification time when the run was opened.
    let stamp: String

    static func stamp(_ directory: String) -> String { FileSystem.fingerprint(FileSystem.join(directory, "manifest.json")) }

    init(directory: String, definition: PipelineDefinition) throws {
        self.directory = directory
        stamp = Self.stamp(directory)
        let reader = try StoreReader(run: directory)
        meta = reader.meta
        self.definition = definition
        clearance = TagClearance(catalog: definition.catalog, risk: definition.risk)
        query = try StoreQuery(reader: reader, definition: definition)
        nameIndex = try? NameIndexReader(path: NameIndex.path(run: directory))
        let groups = try? PeerGroups.read(path: PeerGroups.path(run: directory))
        peerGroups = groups?.count == reader.meta.enterprises ? groups : nil
    }

    public var asOf: String { meta.asOf }

    /// Runs `body` with the store and its query engine, one request at a time (a pool of readers is the next
    /// step for concurrent load).
    public func withStore<R>(_ body: (StoreQuery) throws -> R) throws -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(query)
    }

    /// Region and class of every enterprise, read once per run (8 bytes an enterprise).
    func census() throws -> RunCensus {
        if let c = counted.withLock({ $0 }) { return c }
        let c = try withStore { try RunCensus(reader: $0.reader) }
        counted.withLock { $0 = c }
        return c
    }
}
