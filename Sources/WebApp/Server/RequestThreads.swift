import Foundation

/// Threads of the server's own for the blocking part of every request: store reads, waiting for a store
/// reader, and waiting for the audit log's fsync.
///
/// Hummingbird runs route handlers on Swift concurrency's cooperative pool, which has one thread per core.
/// `WebService` answers synchronously and blocks (`pread`, `fsync`, a reader pool's wait), so on 2 cores two
/// requests waiting for a disk would hold up every other connection, and an audit group commit could never
/// gather more than two lines. Here up to `count` requests are in progress at once; the cores are shared by
/// the kernel among those that compute.
final class RequestThreads: @unchecked Sendable {
    // @unchecked Sendable: `jobs` is touched only while `condition` is locked; the threads are started once
    // and never stopped (one set per process, `shared`).
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var head = 0
    let count: Int

    /// The process's threads: 16 requests in progress at once (a store reader each for the first few, the
    /// rest waiting on one or on the disk).
    static let shared = RequestThreads(count: 16)

    /// Slots held now, taken ones included (for tests).
    var stored: Int {
        condition.lock()
        defer { condition.unlock() }
        return jobs.count
    }

    /// The most slots held at once so far (for tests).
    var storedHighWater: Int {
        condition.lock()
        defer { condition.unlock() }
        return highWater
    }

    init(count: Int) {
        self.count = count
        for k in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "digitag-request-\(k)"
            thread.start()
        }
    }

    /// The most slots `jobs` has held at once, taken ones included.
    private var highWater = 0

    /// What a taken job's slot holds: the job itself, with the request it captured, is released at once.
    private static let taken: @Sendable () -> Void = {}

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            jobs[head] = Self.taken
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 1024 && head * 2 >= jobs.count {
                // Under steady load the queue is never empty when a job is taken, so the emptying above never
                // happens: without this the array grew by one slot per request for as long as the load lasted
                // (the 10-minute soak's RSS rose from 125 to 346 MB). Dropping the taken half costs one move
                // of the waiting half, at most as many moves as jobs taken since the last one.
                jobs.removeFirst(head)
                head = 0
            }
            condition.unlock()
            job()
        }
    }

    /// Runs `body` on one of the threads and returns its result to the awaiting task.
    func run<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { (c: CheckedContinuation<T, Never>) in
            condition.lock()
            jobs.append { c.resume(returning: body()) }
            highWater = max(highWater, jobs.count)
            condition.signal()
            condition.unlock()
        }
    }
}
