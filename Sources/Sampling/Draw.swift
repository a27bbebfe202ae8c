/// An enterprise eligible for a draw, as the run published it.
public struct Candidate: Sendable, Hashable {
    public var uscc: String
    public var name: String
    /// County (6-digit administrative division code).
    public var region: String
    /// City (4-digit code).
    public var city: String
    public var riskClass: String

    public init(uscc: String, name: String, region: String, city: String, riskClass: String) {
        self.uscc = uscc
        self.name = name
        self.region = region
        self.city = city
        self.riskClass = riskClass
    }
}

/// One stratum's outcome: its size, its exact quota, its allocated sample size.
public struct StratumResult: Sendable, Hashable {
    public var key: String
    public var riskClass: String
    public var size: Int
    public var ratio: Ratio
    public var quota: Allocation.Quota
    /// The stratum's rounding lottery number in [0, 1) (keyed rounding only).
    public var lottery: Double?
    public var drawn: Int
}

/// One risk class over all its strata: the first level of rounding.
public struct ClassTotal: Sendable, Hashable {
    public var riskClass: String
    public var size: Int
    public var ratio: Ratio
    public var quota: Allocation.Quota
    public var lottery: Double?
    public var drawn: Int
}

/// A drawn enterprise with its ticket and rank in its stratum.
public struct Selection: Sendable, Hashable {
    public var candidate: Candidate
    public var stratum: String
    public var ticket: Ticket
    /// 1 for the lowest ticket of the stratum.
    public var rank: Int

    public init(candidate: Candidate, stratum: String, ticket: Ticket, rank: Int) {
        self.candidate = candidate
        self.stratum = stratum
        self.ticket = ticket
        self.rank = rank
    }
}

/// The double-random draw of enterprises: strata, exact sizes, lowest tickets.
///
/// Strata are the task's keys (risk class, and county or city) joined by `/`, e.g. `C/370102`. Stratum
/// sizes follow `Allocation.sizes` with the task's rounding, grouped by class (class totals first, then
/// strata within each class); for keyed rounding a class's lottery number is
/// `SHA-256(seed ␟ task ␟ "class" ␟ class)` and a stratum's `SHA-256(seed ␟ task ␟ "stratum" ␟ key)`,
/// each read as a uniform number (`Ticket.uniform`). Within a stratum the
/// enterprises with the lowest tickets `SHA-256(seed ␟ task ␟ USCC)` are drawn.
public enum Draw {
    public struct Result: Sendable {
        public var strata: [StratumResult]
        /// By class, in class order.
        public var classes: [ClassTotal]
        /// Sorted by stratum key, then rank.
        public var selections: [Selection]
        /// The sum of all quotas rounded half up: what the ratios ask for in total.
        public var totalByRatio: Int
    }

    public static func stratumKey(_ c: Candidate, _ keys: [String]) -> String {
        keys.map { k in
            switch k {
            case "class": return c.riskClass
            case "county": return c.region
            case "city": return c.city
            default: return ""
            }
        }.joined(separator: "/")
    }

    /// The stratum's lottery ticket for keyed rounding.
    public static func lottery(seed: String, task: String, stratum: String) -> Ticket {
        Ticket(fields: [seed, task, "stratum", stratum])
    }

    /// A class's lottery ticket for keyed rounding of class totals.
    public static func classLottery(seed: String, task: String, riskClass: String) -> Ticket {
        Ticket(fields: [seed, task, "class", riskClass])
    }

    /// Classes present in `candidates` that the task gives no ratio.
    public static func classesWithoutRatio(task: SamplingTask, candidates: [Candidate]) -> [String] {
        Set(candidates.map(\.riskClass)).filter { task.exactRatios[$0] == nil }.sorted()
    }

    /// Draws `task` from `candidates` with `seed`.
    ///
    /// Candidates are split into `shards` contiguous parts, processed on up to `threads` threads: each part
    /// computes its tickets and counts its strata; the counts are summed and allocated; each part keeps
    /// its lowest tickets per stratum; the parts' lists are merged. Every step is exact and ordered by
    /// ticket, so the result is the same for any input order, shard count and thread count.
    ///
    /// - Precondition: every class of `candidates` has a ratio (see `classesWithoutRatio`); USCCs are unique.
    /// - Complexity: O(n log n) for n candidates.
    public static func run(task: SamplingTask, seed: String, candidates: [Candidate], threads: Int = 1, shards: Int = 1) -> Result {
        let n = candidates.count
        let shardCount = max(1, min(shards, max(1, n)))
        let ranges = (0..<shardCount).map { s in (n * s / shardCount)..<(n * (s + 1) / shardCount) }
        typealias Entry = (ticket: Ticket, index: Int)
        let strataKeys = task.strata
        let taskID = task.id
        // 1. Tickets, grouped by stratum, per shard.
        let parts: [[String: [Entry]]] = Workers.map(count: shardCount, threads: threads) { s in
            var groups: [String: [Entry]] = [:]
            for i in ranges[s] {
                let c = candidates[i]
                groups[stratumKey(c, strataKeys), default: []].append((Ticket(seed: seed, task: taskID, uscc: c.uscc), i))
            }
            return groups
        }
        // 2. Sizes summed over shards, then allocated.
        var sizeOf: [String: Int] = [:]
        var classOf: [String: String] = [:]
        for part in parts {
            for (key, entries) in part {
                sizeOf[key, default: 0] += entries.count
                classOf[key] = candidates[entries[0].index].riskClass
            }
        }
        let keys = sizeOf.keys.sorted()
        let sizes = keys.map { sizeOf[$0]! }
        let ratios = keys.map { task.exactRatios[classOf[$0]!] ?? .zero }
        let classes = Array(Set(classOf.values)).sorted()
        let groups = keys.map { classes.firstIndex(of: classOf[$0]!)! }
        let keyed = task.rounding == .keyed
        let lottery = keyed ? keys.map { Draw.lottery(seed: seed, task: task.id, stratum: $0).uniform } : []
        let classLottery = keyed ? classes.map { Draw.classLottery(seed: seed, task: task.id, riskClass: $0).uniform } : []
        let counts = Allocation.sizes(
            sizes: sizes, ratios: ratios, rounding: task.rounding, groups: groups, groupLottery: classLottery, lottery: lottery,
            minimum: task.minimumPerStratum, maximum: task.maximumPerStratum)
        let quotas = Allocation.quotas(sizes: sizes, ratios: ratios)
        let countOf = Dictionary(uniqueKeysWithValues: zip(keys, counts))
        // 3. Each shard keeps its lowest tickets per stratum; 4. the shards' lists are merged.
        let order: @Sendable (Entry, Entry) -> Bool = { a, b in
            a.ticket != b.ticket ? a.ticket < b.ticket : candidates[a.index].uscc < candidates[b.index].uscc
        }
        let kept: [[String: [Entry]]] = Workers.map(count: shardCount, threads: threads) { s in
            parts[s].mapValues { Array($0.sorted(by: order).prefix(countOf[stratumKey(candidates[$0[0].index], strataKeys)]!)) }
        }
        var strata: [StratumResult] = []
        var selections: [Selection] = []
        for (i, key) in keys.enumerated() {
            let merged = kept.flatMap { $0[key] ?? [] }.sorted(by: order).prefix(counts[i])
            for (rank, e) in merged.enumerated() {
                selections.append(Selection(candidate: candidates[e.index], stratum: key, ticket: e.ticket, rank: rank + 1))
            }
            strata.append(
                StratumResult(
                    key: key, riskClass: classOf[key]!, size: sizes[i], ratio: ratios[i], quota: quotas[i],
                    lottery: lottery.isEmpty ? nil : lottery[i], drawn: counts[i]))
        }
        let classTotals = classes.enumerated().map { g, cls in
            let members = keys.indices.filter { groups[$0] == g }
            return ClassTotal(
                riskClass: cls, size: members.reduce(0) { $0 + sizes[$1] }, ratio: task.exactRatios[cls] ?? .zero,
                quota: Allocation.Quota.sum(members.map { quotas[$0] }, scale: quotas.first?.scale ?? 0),
                lottery: classLottery.isEmpty ? nil : classLottery[g], drawn: members.reduce(0) { $0 + counts[$1] })
        }
        return Result(
            strata: strata, classes: classTotals, selections: selections, totalByRatio: Allocation.roundedTotal(quotas))
    }
}
