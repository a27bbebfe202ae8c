import Foundation
import ProfileStore
import Query
import RunModel

/// A fixed set of store readers of one run, each with its own query engine, lent to one request at a time:
/// concurrent requests read the store in parallel instead of queueing behind one reader.
///
/// All readers are opened when the run is (not on the first request), so no request pays for an open, and
/// none is ever reopened. A request that finds every reader lent waits for the first one returned.
final class StoreQueryPool: @unchecked Sendable {
    // @unchecked Sendable: `idle` is touched only while `condition` is locked, and a `StoreQuery` (whose
    // reader cursor and compiler caches are not thread-safe) is used by the one request that took it out of
    // `idle` until it puts it back.
    private let condition = NSCondition()
    private var idle: [StoreQuery]
    /// How many readers the pool holds.
    let size: Int

    /// Opens `size` readers of the run's store, each with a query engine over `definition`.
    init(run directory: String, definition: PipelineDefinition, size: Int) throws {
        precondition(size > 0)
        idle = try (0..<size).map { _ in try StoreQuery(reader: try StoreReader(run: directory), definition: definition) }
        self.size = size
    }

    /// The number of readers a run gets: one per core, at least two (one slow count must not hold up every
    /// profile), at most eight (each holds the store's block directory, ~2 MB at 1 M enterprises).
    static var defaultSize: Int { min(8, max(2, ProcessInfo.processInfo.activeProcessorCount)) }

    /// Runs `body` with a reader of its own, waiting for one if all are lent.
    func withQuery<R>(_ body: (StoreQuery) throws -> R) rethrows -> R {
        condition.lock()
        while idle.isEmpty { condition.wait() }
        let q = idle.removeLast()
        condition.unlock()
        defer {
            condition.lock()
            idle.append(q)
            condition.signal()
            condition.unlock()
        }
        return try body(q)
    }

    /// Readers not lent right now (for tests).
    var idleCount: Int {
        condition.lock()
        defer { condition.unlock() }
        return idle.count
    }
}
