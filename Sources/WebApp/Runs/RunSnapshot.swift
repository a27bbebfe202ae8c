import DigiTagBase
import Foundation
import ProfileStore
import Query
import RunModel
import Synchronization

/// One published run opened for serving: its store, the query engine over it, the pipeline it was made
/// with and the tag clearances of that pipeline, its name index, its census and its peer groups.
///
/// A request takes the snapshot once and keeps it to the end, so it finishes on the run it started on even
/// if `current` moves meanwhile; the open store file stays readable after retention removes the folder.
public final class RunSnapshot: @unchecked Sendable {
    // @unchecked Sendable: the store readers and query engines (cursors and compiler caches are not
    // thread-safe) are lent one request at a time by `pool`; the scope sizes and the segment cache are behind
    // their own mutexes; the rest is immutable.
    /// The run folder (resolved), e.g. `runs/2024-12-31`.
    public let directory: String
    public let meta: StoreMeta
    /// The pipeline the run was made with (its own copy).
    public let definition: PipelineDefinition
    public let clearance: TagClearance
    /// `store/names.idx`; nil for a run published before runs had one.
    let nameIndex: NameIndexReader?
    /// `store/peers.idx`: each enterprise's legal-representative group and each group's enterprises; nil for a
    /// run without one.
    let peers: PeerIndex?
    /// The run's store readers, each with its query engine: one per request at a time.
    let pool: StoreQueryPool
    /// Region and class of every enterprise (8 bytes an enterprise), read when the run is opened: every profile,
    /// count and search of the run uses it.
    let census: RunCensus
    /// Enterprises in each region scope asked about so far (the denominator of a segment page).
    private let scopeSizes = Mutex<[String: Int]>([:])
    /// Segments evaluated on this run (counts and matches by expression and scope).
    let segments: SegmentCache

    /// The manifest's size and modification time when the run was opened.
    let stamp: String

    static func stamp(_ directory: String) -> String { FileSystem.fingerprint(FileSystem.join(directory, "manifest.json")) }

    init(directory: String, definition: PipelineDefinition, readers: Int = StoreQueryPool.defaultSize, segmentCache: Int = 64) throws {
        self.directory = directory
        segments = SegmentCache(capacity: segmentCache)
        stamp = Self.stamp(directory)
        let pool = try StoreQueryPool(run: directory, definition: definition, size: readers)
        self.pool = pool
        let reader = pool.withQuery { $0.reader }
        meta = reader.meta
        self.definition = definition
        clearance = TagClearance(catalog: definition.catalog, risk: definition.risk)
        nameIndex = try? NameIndexReader(path: NameIndex.path(run: directory))
        let groups = try? PeerGroups.read(path: PeerGroups.path(run: directory))
        peers = groups.flatMap { $0.count == reader.meta.enterprises ? PeerIndex(groups: $0) : nil }
        census = try pool.withQuery { try RunCensus(reader: $0.reader) }
    }

    public var asOf: String { meta.asOf }

    /// Runs `body` with a store reader and its query engine of its own (lent from the run's pool, so requests
    /// read in parallel); `body` must not keep them after it returns.
    public func withStore<R>(_ body: (StoreQuery) throws -> R) throws -> R {
        try pool.withQuery(body)
    }

    /// Enterprises of the run inside the user's region.
    func enterprises(in policy: AccessPolicy) -> Int {
        let code = policy.user.region.code
        if let n = scopeSizes.withLock({ $0[code] }) { return n }
        let inScope = census.regionsIn(policy)
        var n = 0
        for r in census.region where r >= 0 && inScope[Int(r)] { n += 1 }
        scopeSizes.withLock { $0[code] = n }
        return n
    }
}
