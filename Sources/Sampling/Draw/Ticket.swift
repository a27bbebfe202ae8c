import DigiTagIO

/// A keyed-hash lottery ticket: `SHA-256` of text fields joined by the unit separator `␟` (0x1F).
///
/// An enterprise's ticket for a task is `SHA-256(seed ␟ task id ␟ USCC)`; an inspector's ticket for one
/// enterprise is `SHA-256(seed ␟ task id ␟ USCC ␟ inspector id)`. Each field is taken as its exact UTF-8
/// bytes. Because a ticket depends only on its own fields, the draw is independent of input order,
/// thread and shard counts, and of every other enterprise: changing one enterprise's class moves only
/// that enterprise. Anyone can recompute a ticket with
/// `printf '%s\037%s\037%s' SEED TASK USCC | sha256sum`.
public struct Ticket: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The first 8 bytes of the digest, big-endian: the sort key.
    public let value: UInt64
    /// The other 24 bytes, so that the full digest orders and prints (ties on `value` are practically impossible).
    let rest: (UInt64, UInt64, UInt64)

    public init(fields: [String]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(fields.reduce(fields.count) { $0 + $1.utf8.count })
        for (i, f) in fields.enumerated() {
            if i > 0 { bytes.append(Ticket.separator) }
            bytes.append(contentsOf: f.utf8)
        }
        self.init(digest: SHA256.hash(data: bytes))
    }

    /// A hasher that has absorbed `fields` and a trailing separator: `Ticket(extending:with:)` finishes it.
    /// Saves re-hashing a shared prefix (seed ␟ task ␟ USCC ␟) for every inspector.
    public static func prefix(_ fields: [String]) -> SHA256 {
        var hasher = SHA256()
        for f in fields {
            hasher.update(data: Array(f.utf8))
            hasher.update(data: [Ticket.separator])
        }
        return hasher
    }

    /// The ticket of `prefix`'s fields followed by `last`: equal to `Ticket(fields: prefixFields + [last])`.
    public init(extending prefix: SHA256, with last: String) {
        var hasher = prefix
        hasher.update(data: Array(last.utf8))
        self.init(digest: hasher.finalize())
    }

    init(digest: SHA256.Digest) {
        var words: [UInt64] = [0, 0, 0, 0]
        digest.withUnsafeBytes { raw in
            for w in 0..<4 {
                var v: UInt64 = 0
                for b in 0..<8 { v = (v << 8) | UInt64(raw[w * 8 + b]) }
                words[w] = v
            }
        }
        value = words[0]
        rest = (words[1], words[2], words[3])
    }

    /// An enterprise's ticket in a task's draw.
    public init(seed: String, task: String, uscc: String) {
        self.init(fields: [seed, task, uscc])
    }

    /// The separator between fields: ASCII unit separator, `\037` in `printf`.
    public static let separator: UInt8 = 0x1F

    /// The full digest as 64 lowercase hex digits, as `sha256sum` prints it.
    public var hex: String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        let digits = Array("0123456789abcdef".utf8)
        for w in [value, rest.0, rest.1, rest.2] {
            for shift in stride(from: 60, through: 0, by: -4) { out.append(digits[Int((w >> UInt64(shift)) & 0xF)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }

    public var description: String { hex }

    /// The ticket as a number in [0, 1): its place in the uniform order (the top 53 bits).
    public var uniform: Double { Double(value >> 11) / Double(UInt64(1) << 53) }

    public static func < (a: Ticket, b: Ticket) -> Bool {
        if a.value != b.value { return a.value < b.value }
        if a.rest.0 != b.rest.0 { return a.rest.0 < b.rest.0 }
        if a.rest.1 != b.rest.1 { return a.rest.1 < b.rest.1 }
        return a.rest.2 < b.rest.2
    }

    public static func == (a: Ticket, b: Ticket) -> Bool {
        a.value == b.value && a.rest == b.rest
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(value)
        hasher.combine(rest.0)
        hasher.combine(rest.1)
        hasher.combine(rest.2)
    }
}
