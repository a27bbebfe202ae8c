import Dispatch
import Synchronization
import Testing
@testable import WebApp

/// The request threads' queue under steady load: a taken job is released at once, and the queue does not
/// keep one slot per request for as long as the load lasts (the 10-minute soak's memory growth).
@Suite struct RequestThreadsTests {
    final class Token: Sendable {}
    final class WeakToken: @unchecked Sendable {
        // @unchecked: written once before any other thread reads it.
        weak var value: Token?
        init(_ t: Token) { value = t }
    }

    static func until(_ condition: () -> Bool) async throws {
        for _ in 0..<5_000 where !condition() { try await Task.sleep(nanoseconds: 1_000_000) }
        #expect(condition())
    }

    @Test("under steady load the queue stays bounded and every job answers its own caller")
    func boundedUnderSteadyLoad() async throws {
        let threads = RequestThreads(count: 2)
        let callers = 32
        let rounds = 300
        let sums = try await withThrowingTaskGroup(of: Int.self) { group in
            for c in 0..<callers {
                group.addTask {
                    var sum = 0
                    for r in 0..<rounds { sum += await threads.run { c * rounds + r } }
                    return sum
                }
            }
            var all: [Int] = []
            for try await s in group { all.append(s) }
            return all
        }
        // Every caller got exactly its own answers back.
        let expected = (0..<callers).map { c in (0..<rounds).reduce(0) { $0 + c * rounds + $1 } }
        #expect(sums.sorted() == expected.sorted())
        // 9,600 jobs went through; at most 32 wait at a time, and taken slots are dropped from 1,024 on.
        #expect(threads.storedHighWater <= 1_024 + callers, "the queue held \(threads.storedHighWater) slots at once")
    }

    @Test("a job's closure, with what it captured, is released once taken, while later jobs still wait")
    func releasedOnceTaken() async throws {
        let threads = RequestThreads(count: 1)
        let gateA = DispatchSemaphore(value: 0)
        let gateC = DispatchSemaphore(value: 0)
        let startedA = Mutex(false)
        let startedC = Mutex(false)
        let a = Task { await threads.run { startedA.withLock { $0 = true }; gateA.wait(); return 0 } }
        try await Self.until { startedA.withLock { $0 } }
        func submitB() -> (Task<Int, Never>, WeakToken) {
            let token = Token()
            let weak = WeakToken(token)
            return (Task { await threads.run { withExtendedLifetime(token) {}; return 1 } }, weak)
        }
        let (b, weakB) = submitB()
        try await Self.until { threads.stored == 1 }
        let c = Task { await threads.run { startedC.withLock { $0 = true }; gateC.wait(); return 2 } }
        try await Self.until { threads.stored == 2 }
        let d = Task { await threads.run { 3 } }
        try await Self.until { threads.stored == 3 }
        gateA.signal()
        #expect(await a.value == 0)
        #expect(await b.value == 1)
        try await Self.until { startedC.withLock { $0 } }
        // B ran and C is running with D still queued: the queue is not empty, and B's slot must not hold B.
        #expect(weakB.value == nil, "a taken job stayed in the queue with what it captured")
        gateC.signal()
        #expect(await c.value == 2)
        #expect(await d.value == 3)
    }
}
