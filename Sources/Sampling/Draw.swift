/// An enterprise eligible for a draw, as the run published it.
public struct Candidate: Sendable, Hashable {
    public var uscc: String
    public var name: String
    public var region: String
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

/// One stratum's outcome: its size, its allocated sample size, and who was drawn.
public struct StratumResult: Sendable {
    public var key: String
    public var riskClass: String
    public var size: Int
    public var ratio: Double
    public var drawn: Int
}

/// A drawn enterprise with its ticket and rank in its stratum.
public struct Selection: Sendable {
    public var candidate: Candidate
    public var stratum: String
    public var ticket: Ticket
    public var rank: Int
}

/// The double-random draw of enterprises: strata, exact sizes, lowest tickets.
public enum Draw {
    public struct Result: Sendable {
        public var strata: [StratumResult]
        public var selections: [Selection]
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

    /// Draws `task` from `candidates` with `seed`. The result is sorted by stratum key, then rank.
    public static func run(task: SamplingTask, seed: String, candidates: [Candidate]) -> Result {
        var members: [String: [Candidate]] = [:]
        for c in candidates { members[stratumKey(c, task.strata), default: []].append(c) }
        let keys = members.keys.sorted()
        let sizes = keys.map { members[$0]!.count }
        let ratios = keys.map { task.ratios[members[$0]![0].riskClass] ?? 0 }
        let counts = Allocation.largestRemainder(
            sizes: sizes, ratios: ratios, minimum: task.minimumPerStratum, maximum: task.maximumPerStratum)
        var strata: [StratumResult] = []
        var selections: [Selection] = []
        for (i, key) in keys.enumerated() {
            let ranked = members[key]!.map { ($0, Ticket(seed: seed, task: task.id, uscc: $0.uscc)) }
                .sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.uscc < $1.0.uscc }
            for (rank, (c, t)) in ranked.prefix(counts[i]).enumerated() {
                selections.append(Selection(candidate: c, stratum: key, ticket: t, rank: rank + 1))
            }
            strata.append(
                StratumResult(key: key, riskClass: members[key]![0].riskClass, size: sizes[i], ratio: ratios[i], drawn: counts[i]))
        }
        return Result(strata: strata, selections: selections)
    }
}
