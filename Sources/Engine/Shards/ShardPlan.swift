import Foundation

/// How the enterprises (in USCC order, ordinals 0..<n) are cut into shards: contiguous, balanced ranges.
///
/// Shards are ranges of the USCC order rather than hash buckets so that writing shard after shard gives
/// the USCC order whatever the shard count: merging is concatenation, and outputs are the same bytes for
/// 1 or 256 shards. Ranges balance enterprises, not records; with records partitioned by USCC the two
/// agree closely at scale.
public struct ShardPlan: Sendable, Codable, Equatable {
    public let enterprises: Int
    public let count: Int

    public init(enterprises: Int, count: Int) {
        self.enterprises = enterprises
        self.count = max(1, min(count, max(1, enterprises)))
    }

    public func range(_ shard: Int) -> Range<Int> {
        (enterprises * shard / count)..<(enterprises * (shard + 1) / count)
    }

    /// The shard holding `ordinal`: the inverse of `range`, floor((count·(ordinal+1) − 1) / n).
    @inline(__always)
    public func shard(of ordinal: Int) -> Int { (count * (ordinal + 1) - 1) / enterprises }
}

/// How the shard count is chosen.
public enum ShardSizing: Sendable, Equatable {
    /// Exactly this many shards (`--shards`).
    case count(Int)
    /// As many as needed for at most this many enterprises each (`--shard-size`).
    case enterprises(Int)
    /// Sized so the shards evaluated at once fit in this many bytes (the default; see `MemoryBudget`).
    case memory(bytes: Int, tags: Int, threads: Int)

    /// - Parameter inputBytesPerEnterprise: estimated uncompressed CSV bytes of records per enterprise.
    public func plan(enterprises n: Int, inputBytesPerEnterprise: Double) -> ShardPlan {
        switch self {
        case .count(let c): return ShardPlan(enterprises: n, count: c)
        case .enterprises(let size): return ShardPlan(enterprises: n, count: (n + max(1, size) - 1) / max(1, size))
        case .memory(let bytes, let tags, let threads):
            let perEnterprise = MemoryBudget.bytesPerEnterprise(tags: tags, inputBytes: inputBytesPerEnterprise)
            // `threads` shards are evaluated while the previous wave's `threads` are being written.
            let size = max(1_000, Int(Double(bytes) / Double(2 * threads) / perEnterprise))
            return ShardPlan(enterprises: n, count: (n + size - 1) / size)
        }
    }
}

/// The memory a run may use for shards, from the machine's physical memory.
public enum MemoryBudget {
    /// A quarter of physical memory, at most 1 GiB: the shard working set; registration columns and the
    /// USCC directory come on top (about 250 bytes per enterprise).
    public static func defaultBytes() -> Int {
        let physical = Int(ProcessInfo.processInfo.physicalMemory)
        return max(64 << 20, min(1 << 30, physical / 4))
    }

    /// Working set of one enterprise in a shard: tag columns (values and intermediate columns of the
    /// evaluator, about 3 × 8 bytes per tag) plus its records decoded into columns (about 2 × their CSV size).
    public static func bytesPerEnterprise(tags: Int, inputBytes: Double) -> Double {
        Double(tags) * 24 + inputBytes * 2 + 512
    }
}
