import Foundation
import Synchronization

/// The evaluated segments of one published run, by normalized expression and region scope, least recently
/// used dropped first: a run never changes, so an answer stays right as long as the run is served, and a newly
/// published `current` is a new `RunSnapshot` with a new, empty cache.
///
/// Bounded twice: `capacity` entries, and `maxOrdinals` matches held in all (4 bytes each), so one expression
/// matching most of the province cannot grow the server's memory. A capacity of 0 caches nothing
/// (`digitag serve --count-cache 0`, for measuring the uncached cost).
///
/// Single flight: concurrent misses for the same key wait for one evaluation (`value(_:evaluate:)`) instead
/// of each evaluating the expression over the whole province.
final class SegmentCache: Sendable {
    struct Key: Hashable, Sendable {
        let expression: String
        let scope: String
    }

    let capacity: Int
    let maxOrdinals: Int
    private let entries = Mutex<(map: [Key: (value: SegmentMatches, used: UInt64)], clock: UInt64, ordinals: Int)>(([:], 0, 0))
    /// Evaluations under way, by key: later requests for the key wait for the first one's result.
    private let flights = Mutex<[Key: Flight]>([:])

    init(capacity: Int, maxOrdinals: Int = 8_000_000) {
        self.capacity = max(0, capacity)
        self.maxOrdinals = maxOrdinals
    }

    /// The key of an expression as typed: runs of white space outside quotes become one space, and leading
    /// and trailing space goes, so the same question typed twice is one entry.
    static func key(_ expression: String, scope: String) -> Key {
        var out = String.UnicodeScalarView()
        var quote: Unicode.Scalar?
        var pendingSpace = false
        for u in expression.unicodeScalars {
            if let q = quote {
                out.append(u)
                if u == q { quote = nil }
                continue
            }
            if u.properties.isWhitespace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace { out.append(" ") }
            pendingSpace = false
            out.append(u)
            if u == "'" || u == "\"" { quote = u }
        }
        return Key(expression: String(out), scope: scope)
    }

    func value(_ key: Key) -> SegmentMatches? {
        guard capacity > 0 else { return nil }
        return entries.withLock { e in
            guard let hit = e.map[key] else { return nil }
            e.clock += 1
            e.map[key] = (hit.value, e.clock)
            return hit.value
        }
    }

    func store(_ value: SegmentMatches, for key: Key) {
        guard capacity > 0, value.ordinals.count <= maxOrdinals else { return }
        entries.withLock { e in
            if let old = e.map[key] { e.ordinals -= old.value.ordinals.count }
            e.clock += 1
            e.map[key] = (value, e.clock)
            e.ordinals += value.ordinals.count
            while e.map.count > capacity || e.ordinals > maxOrdinals {
                guard let oldest = e.map.min(by: { $0.value.used < $1.value.used }) else { break }
                e.ordinals -= oldest.value.value.ordinals.count
                e.map[oldest.key] = nil
            }
        }
    }

    /// The cached matches of `key`, or `evaluate()`'s, evaluated once however many requests miss at the same
    /// time: the first evaluates and stores, the others wait and share its result (or its error, which is not
    /// cached). With capacity 0 every call evaluates.
    func value(_ key: Key, evaluate: () throws -> SegmentMatches) throws -> SegmentMatches {
        guard capacity > 0 else { return try evaluate() }
        if let hit = value(key) { return hit }
        // Lock order: flights, then entries (the re-check below); never the other way round.
        let (flight, first) = flights.withLock { f -> (Flight, Bool) in
            if let running = f[key] { return (running, false) }
            let flight = Flight()
            if let hit = value(key) { flight.finish(.success(hit)) } else { f[key] = flight }
            return (flight, f[key] === flight)
        }
        guard first else { return try flight.wait() }
        let result = Result { try evaluate() }
        if case .success(let m) = result { store(m, for: key) }
        flights.withLock { $0[key] = nil }
        flight.finish(result)
        return try result.get()
    }

    /// Evaluations under way now (for tests).
    var inFlight: Int { flights.withLock { $0.count } }

    /// Entries held now (for tests).
    var count: Int { entries.withLock { $0.map.count } }
}

/// One evaluation under way: its result once known, and the requests waiting for it.
private final class Flight: @unchecked Sendable {
    // @unchecked Sendable: `result` is read and written only while `condition` is locked.
    private let condition = NSCondition()
    private var result: Result<SegmentMatches, any Error>?

    func finish(_ r: Result<SegmentMatches, any Error>) {
        condition.lock()
        result = r
        condition.broadcast()
        condition.unlock()
    }

    func wait() throws -> SegmentMatches {
        condition.lock()
        while result == nil { condition.wait() }
        let r = result!
        condition.unlock()
        return try r.get()
    }
}
