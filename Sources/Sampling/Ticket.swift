import Crypto
import Foundation

/// An enterprise's lottery ticket for a task: `SHA-256(seed ␟ task id ␟ USCC)`.
///
/// The seed is taken as its exact UTF-8 bytes. Because each ticket depends only on (seed, task, USCC),
/// the draw is independent of input order, thread and shard counts, and of every other enterprise:
/// changing one enterprise's class moves only that enterprise. Anyone can recompute a ticket with
/// `printf '%s\x1f%s\x1f%s' SEED TASK USCC | sha256sum`.
public struct Ticket: Comparable, Hashable, Sendable {
    /// The first 8 bytes of the digest, big-endian: the sort key.
    public let value: UInt64
    /// The full digest as hex, as published in the audit record.
    public let hex: String

    public init(seed: String, task: String, uscc: String) {
        var bytes = Data(seed.utf8)
        bytes.append(0x1F)
        bytes.append(contentsOf: Array(task.utf8))
        bytes.append(0x1F)
        bytes.append(contentsOf: Array(uscc.utf8))
        let digest = Array(SHA256.hash(data: bytes))
        var v: UInt64 = 0
        for b in digest.prefix(8) { v = (v << 8) | UInt64(b) }
        value = v
        hex = digest.map { String(format: "%02x", $0) }.joined()
    }

    /// The ticket as a number in [0, 1): its place in the uniform order.
    public var uniform: Double { Double(value >> 11) / Double(UInt64(1) << 53) }

    public static func < (a: Ticket, b: Ticket) -> Bool { a.value < b.value }
}
