import DigiTagBase

/// Where a draw's seed comes from. Never the clock: a seed is always text someone can publish.
public enum TaskSeed: Sendable, Hashable {
    /// Given as is (`--seed TEXT`, or `seed: TEXT` in the task file).
    case literal(String)
    /// Derived from a public value recorded with the task: the date it was published and a nonce announced
    /// on that date (e.g. a lottery draw's numbers). The seed is `"<published_on>:<nonce>"`.
    case published(on: Day, nonce: String)

    /// The seed text, taken as its exact UTF-8 bytes by every ticket.
    public var text: String {
        switch self {
        case .literal(let s): return s
        case .published(let day, let nonce): return "\(day):\(nonce)"
        }
    }

    /// How the seed was obtained, for the audit record.
    public var formula: String {
        switch self {
        case .literal: return "the seed text as given"
        case .published(let day, let nonce): return "published_on ':' nonce = \"\(day)\" ':' \"\(nonce)\""
        }
    }
}
