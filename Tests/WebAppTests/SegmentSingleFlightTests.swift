import Foundation
import Synchronization
import Testing

@testable import WebApp

/// Concurrent misses of the segment cache for one (expression, scope) wait for one evaluation.
@Suite("Segment cache single flight")
struct SegmentSingleFlightTests {
    /// Runs `body` on `n` threads of their own (not the cooperative pool, whose width is the core count),
    /// all released at once, and returns what each got.
    static func concurrently<T: Sendable>(_ n: Int, _ body: @escaping @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
        let results = Mutex<[Int: Result<T, any Error>]>([:])
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        for i in 0..<n {
            done.enter()
            Thread {
                start.wait()
                let r = Result { try body(i) }
                results.withLock { $0[i] = r }
                done.leave()
            }.start()
        }
        for _ in 0..<n { start.signal() }
        done.wait()
        return results.withLock { m in (0..<n).map { m[$0]! } }
    }

    struct Refused: Error, Equatable {}

    @Test("16 concurrent misses of one key evaluate once and all get the result; another key evaluates apart")
    func oneEvaluation() {
        let cache = SegmentCache(capacity: 8)
        let evaluations = Atomic<Int>(0)
        let key = SegmentCache.key("class == 'D'", scope: "37")
        let results = Self.concurrently(16) { _ in
            try cache.value(key) {
                evaluations.add(1, ordering: .relaxed)
                Thread.sleep(forTimeInterval: 0.3)  // long enough for every thread to arrive while it runs
                return SegmentMatches(ordinals: [4, 7, 9], table: [3], width: 1)
            }
        }
        #expect(evaluations.load(ordering: .relaxed) == 1)
        #expect(results.allSatisfy { (try? $0.get().ordinals) == [4, 7, 9] })
        #expect(cache.inFlight == 0 && cache.count == 1)
        // Cached now: no evaluation at all. Another scope is another key.
        _ = try? cache.value(key) { Issue.record("evaluated a cached key"); return SegmentMatches(ordinals: [], table: [], width: 1) }
        let other = SegmentCache.key("class == 'D'", scope: "3701")
        _ = try? cache.value(other) {
            evaluations.add(1, ordering: .relaxed)
            return SegmentMatches(ordinals: [4], table: [1], width: 1)
        }
        #expect(evaluations.load(ordering: .relaxed) == 2)
    }

    @Test("an evaluation that fails fails every waiter, once, and is not cached")
    func sharedError() {
        let cache = SegmentCache(capacity: 8)
        let evaluations = Atomic<Int>(0)
        let key = SegmentCache.key("nonsense ==", scope: "37")
        let results = Self.concurrently(8) { _ in
            try cache.value(key) { () throws -> SegmentMatches in
                evaluations.add(1, ordering: .relaxed)
                Thread.sleep(forTimeInterval: 0.3)
                throw Refused()
            }
        }
        #expect(evaluations.load(ordering: .relaxed) == 1)
        #expect(results.allSatisfy { if case .failure(let e) = $0 { return e is Refused } else { return false } })
        #expect(cache.count == 0 && cache.inFlight == 0)
        // The next request evaluates again.
        let again = try? cache.value(key) { SegmentMatches(ordinals: [1], table: [1], width: 1) }
        #expect(again?.ordinals == [1])
    }

    @Test("with --count-cache 0 every request evaluates (nothing shared, nothing kept)")
    func noCache() {
        let cache = SegmentCache(capacity: 0)
        let evaluations = Atomic<Int>(0)
        let key = SegmentCache.key("class == 'D'", scope: "37")
        _ = Self.concurrently(4) { _ in
            try cache.value(key) {
                evaluations.add(1, ordering: .relaxed)
                return SegmentMatches(ordinals: [], table: [], width: 1)
            }
        }
        #expect(evaluations.load(ordering: .relaxed) == 4)
    }
}
