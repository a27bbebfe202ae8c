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

    init(count: Int) {
        self.count = count
        for k in 0..<count {
            let thread = Thread { [self] in work() }
            thread.name = "digitag-request-\(k)"
            thread.start()
        }
    }

    private func work() {
        while true {
            condition.lock()
            while head == jobs.count { condition.wait() }
            let job = jobs[head]
            head += 1
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
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
            condition.signal()
            condition.unlock()
        }
    }
}
