import DigiTagBase

/// Where a draw's seed comes from. Never the clock: a seed is always text someone can publish.
public enum TaskSeed: Sendable, Hashable {
    /// Given as is (`--seed TEXT`, or `seed: TEXT` in the task file).
    case literal(String)
    /// Derived from a public value recorded with the task: the date it was published and a nonce announced
    /// on that date (e.g. a lottery draw's numbers). The seed is `"<published_on>:<nonce>"`.
    case published(on: Day, nonce: String)
    /// Committed in advance (`digitag sample commit`): the task records SHA-256 of a secret nonce and when it
    /// was fixed; the draw reveals the nonce, which must hash to the commitment, and the nonce is the seed.
    case committed(SeedCommitment)

    /// The seed text, taken as its exact UTF-8 bytes by every ticket; nil for a commitment (the seed is the
    /// nonce, known only when the draw reveals it).
    public var text: String? {
        switch self {
        case .literal(let s): return s
        case .published(let day, let nonce): return "\(day):\(nonce)"
        case .committed: return nil
        }
    }

    /// How the seed was obtained, for the audit record.
    public var formula: String {
        switch self {
        case .literal: return "the seed text as given"
        case .published(let day, let nonce): return "published_on ':' nonce = \"\(day)\" ':' \"\(nonce)\""
        case .committed(let c): return "the nonce whose SHA-256 is the commitment \(c.commitment), fixed at \(c.committedAt)"
        }
    }
}

/// A seed fixed before the data is known: SHA-256 (lower-case hex) of a nonce kept private until the draw,
/// and when it was fixed (ISO 8601, UTC). Publishing the commitment with the task before the run proves the
/// seed was chosen without seeing the data; revealing the nonce at the draw proves it was not changed since.
public struct SeedCommitment: Sendable, Hashable {
    public var commitment: String
    /// As written in the task file, e.g. `2025-01-10T09:30:00.125Z`.
    public var committedAt: String

    public init(commitment: String, committedAt: String) {
        self.commitment = commitment
        self.committedAt = committedAt
    }

    /// True when `s` is 64 lower-case hex digits.
    public static func isDigest(_ s: String) -> Bool {
        s.utf8.count == 64 && s.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}

import Foundation

extension SeedCommitment {
    /// An ISO 8601 time with or without fractional seconds (`2025-01-10T09:30:00Z`, `…:00.125Z`, `+08:00`).
    public static func date(_ s: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: s)
    }

    /// A time as ISO 8601 in UTC with milliseconds: `2025-01-10T09:30:00.125Z`.
    public static func text(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }
}
