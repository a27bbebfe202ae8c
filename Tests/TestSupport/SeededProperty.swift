import Foundation
import PropertyBased
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Runs a property over generated inputs, deterministically: the same cases on every run unless asked otherwise.
///
/// The inputs come from swift-property-based generators (`Gen`, `Generator`) driven by its `Xoshiro`
/// generator. We do not call its `propertyCheck`: that seeds every run from the system's random source, and
/// its `.fixedSeed` trait runs a single case and reports an issue even when the case passes (it is meant for
/// reproducing a failure, not for CI). Here each case `i` of a property has its own seed, derived from the
/// property's fixed base seed, so CI sees the same cases every time and a failing case can be rerun alone.
///
/// Every issue recorded while a case runs is annotated with the case's seed, a description of its input and
/// the command line that reruns it; the property stops at the first failing case.
///
/// Environment:
/// - `DIGITAG_PROPERTY_SEED=<n>`: another base seed (explore new cases; the default is the property's own);
/// - `DIGITAG_PROPERTY_CASE=<i>`: run only case `i` (with the seed printed in the failure);
/// - `DIGITAG_PROPERTY_SCALE=<k>`: run `k` times as many cases (a longer search, by hand or nightly).
public enum SeededProperty {
    /// Checks `body` against `iterations` generated inputs.
    /// - Parameters:
    ///   - seed: the property's default base seed: fixed in the test so that CI is deterministic.
    ///   - describe: how to show an input in a failure (the default is `String(describing:)`, cut to 4,000 characters).
    public static func check<Value>(
        _ name: String,
        seed: UInt64,
        iterations: Int,
        input: Generator<Value, some Sequence>,
        describe: @escaping @Sendable (Value) -> String = { String(String(describing: $0).prefix(4000)) },
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: (Value) throws -> Void
    ) async {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["DIGITAG_PROPERTY_SEED"].flatMap { UInt64($0) } ?? seed
        let scale = environment["DIGITAG_PROPERTY_SCALE"].flatMap { Int($0) } ?? 1
        let cases: [Int] = environment["DIGITAG_PROPERTY_CASE"].flatMap { Int($0) }.map { [$0] } ?? Array(0..<(iterations * max(1, scale)))
        for i in cases {
            var rng = Xoshiro(seed: caseState(base: base, case: i))
            let value = input.run(using: &rng)
            let where_ =
                "property '\(name)', case \(i), base seed \(base)\n"
                + "rerun this case alone: DIGITAG_PROPERTY_SEED=\(base) DIGITAG_PROPERTY_CASE=\(i) swift test --skip-build --filter <test>"
            let failures = await countingIssues(annotation: where_, input: describe(value)) {
                // A trap cannot be caught: if the case traps, the note says which case it was before the backtrace.
                let note = TrapNote.begin(where_)
                defer { TrapNote.end(note) }
                try body(value)
            }
            if failures > 0 {
                Issue.record("\(where_)\ninput: \(describe(value))", sourceLocation: sourceLocation)
                return
            }
        }
    }

    /// The Xoshiro state of case `i`: four SplitMix64 outputs from (base, i), so neighbouring cases are unrelated.
    public static func caseState(base: UInt64, case i: Int) -> (UInt64, UInt64, UInt64, UInt64) {
        var x = base &+ UInt64(truncatingIfNeeded: i) &* 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return (next(), next(), next(), next())
    }

    /// Runs `body`, counting the issues it records (a thrown error counts as one) and adding `annotation` to each.
    private static func countingIssues(annotation: String, input: String, _ body: () throws -> Void) async -> Int {
        let count = Counter()
        nonisolated(unsafe) let run = body
        let handler = IssueHandlingTrait.compactMapIssues { issue in
            var annotated = issue
            if issue.severity != .warning {
                count.add()
                annotated.comments.append(Comment(rawValue: annotation))
            }
            return annotated
        }
        do {
            try await handler.provideScope(for: Test.current!, testCase: Test.Case.current) {
                try run()
            }
        } catch {
            count.add()
            Issue.record(error, "\(annotation)\ninput: \(input)")
        }
        return count.value
    }

    /// A counter the issue handler (which may run on any thread) can bump.
    private final class Counter: @unchecked Sendable {
        // @unchecked Sendable: `n` is only touched under `lock`.
        private let lock = NSLock()
        private var n = 0
        func add() { lock.withLock { n += 1 } }
        var value: Int { lock.withLock { n } }
    }
}

/// Names the running property case when the process dies of a trap (a failed precondition, an overflow, a bad
/// access), which no test can catch: a handler for SIGILL, SIGTRAP, SIGSEGV and SIGBUS writes the note of the
/// case running on the crashing thread, then puts back the handler it replaced (the runtime's backtracer) and
/// returns, so the faulting instruction traps again and the backtrace follows as usual.
enum TrapNote {
    static let slots = 32
    static let size = 2048
    /// Notes, NUL-terminated, `size` bytes each; the thread that owns each slot (0: free).
    nonisolated(unsafe) static let notes = UnsafeMutablePointer<CChar>.allocate(capacity: slots * size)
    nonisolated(unsafe) static let owners: UnsafeMutablePointer<pthread_t> = {
        let p = UnsafeMutablePointer<pthread_t>.allocate(capacity: slots)
        p.initialize(repeating: 0, count: slots)
        return p
    }()
    nonisolated(unsafe) static let previous = UnsafeMutablePointer<sigaction>.allocate(capacity: 64)
    static let lock = NSLock()
    static let signals: [Int32] = [SIGILL, SIGTRAP, SIGSEGV, SIGBUS]

    static let installed: Bool = {
        _ = notes
        _ = owners
        for sig in signals {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                let me = pthread_self()
                for i in 0..<TrapNote.slots where TrapNote.owners[i] != 0 && pthread_equal(TrapNote.owners[i], me) != 0 {
                    let note = TrapNote.notes + i * TrapNote.size
                    _ = write(2, note, strlen(note))
                }
                sigaction(sig, TrapNote.previous + Int(sig), nil)
            }
            sigemptyset(&action.sa_mask)
            sigaction(sig, &action, previous + Int(sig))
        }
        return true
    }()

    /// Records `text` as the note of the calling thread; returns its slot (nil when every slot is taken).
    static func begin(_ text: String) -> Int? {
        guard installed else { return nil }
        return lock.withLock {
            guard let slot = (0..<slots).first(where: { owners[$0] == 0 }) else { return nil }
            let bytes = Array(("\n*** the process died in a property test case: " + text + "\n").utf8.prefix(size - 1))
            for (k, b) in bytes.enumerated() { notes[slot * size + k] = CChar(bitPattern: b) }
            notes[slot * size + bytes.count] = 0
            owners[slot] = pthread_self()
            return slot
        }
    }

    static func end(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock { owners[slot] = 0 }
    }
}
