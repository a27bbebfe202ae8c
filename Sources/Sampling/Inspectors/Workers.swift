import Dispatch
import Foundation

/// Runs independent jobs on up to `threads` threads and returns their results in job order.
///
/// Sampling's own copy of the project's parallel helper (Engine's `Parallel.map`), because Sampling does
/// not depend on Engine. Results are collected by index, so nothing depends on scheduling.
enum Workers {
    static func map<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) -> T) -> [T] {
        guard count > 0 else { return [] }
        let workers = max(1, min(threads, count))
        if workers == 1 { return (0..<count).map(body) }
        let box = Slots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            for i in stride(from: w, to: count, by: workers) { box.store(i, body(i)) }
        }
        return box.values()
    }
}

/// One result slot per job behind one lock.
///
/// `@unchecked Sendable` is safe: `slots` is only touched while holding `lock`.
private final class Slots<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [T?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ i: Int, _ value: T) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    func values() -> [T] {
        lock.lock()
        defer { lock.unlock() }
        return slots.map { $0! }
    }
}
