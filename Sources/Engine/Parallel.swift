import Dispatch
import Foundation

/// Runs independent jobs on up to `threads` threads and returns their results in job order.
///
/// Results are collected by index, never by completion order, so output does not depend on scheduling.
public enum Parallel {
    public static func map<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (Int) throws -> T) throws -> [T] {
        try mapWithWorker(count: count, threads: threads) { job, _ in try body(job) }
    }

    /// As `map`, also telling each job which worker (`0..<threads`) runs it, so that a job can use that
    /// worker's own reusable state (a compression context, a buffer) without a lock: no two jobs with the
    /// same worker number run at the same time.
    public static func mapWithWorker<T: Sendable>(count: Int, threads: Int, _ body: @Sendable (_ job: Int, _ worker: Int) throws -> T) throws -> [T] {
        guard count > 0 else { return [] }
        let box = ResultBox<T>(count: count)
        let workers = max(1, min(threads, count))
        if workers == 1 {
            return try (0..<count).map { try body($0, 0) }
        }
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while let i = box.nextIndex() {
                do { box.store(i, .success(try body(i, worker))) } catch { box.store(i, .failure(error)) }
            }
        }
        return try box.results()
    }
}

/// Shared state of one `Parallel.map`: the next job index and a slot per result, behind one lock.
///
/// `@unchecked Sendable` is safe: every access to `next` and `slots` happens while holding `lock`.
private final class ResultBox<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [Result<T, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func nextIndex() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        next += 1
        return next - 1
    }

    func store(_ i: Int, _ r: Result<T, any Error>) {
        lock.lock()
        slots[i] = r
        lock.unlock()
    }

    /// The results in order; the error of the lowest failing index, if any (deterministic).
    func results() throws -> [T] {
        try slots.map { try $0!.get() }
    }
}
