/// An enterprise eligible for a draw, as the run published it.
public struct Candidate: Sendable, Hashable {
    public var uscc: String
    public var name: String
    /// County (6-digit administrative division code).
    public var region: String
    /// City (4-digit code).
    public var city: String
    public var riskClass: String
    /// Index into the task's `effectiveGroups`: the first group whose rule holds; -1 when none does (only
    /// possible when the task gives `exempt_reason`).
    public var group: Int
    /// The group's weight expression's value (1 when the group is not weighted).
    public var weight: Double

    public init(uscc: String, name: String, region: String, city: String, riskClass: String, group: Int = 0, weight: Double = 1) {
        self.uscc = uscc
        self.name = name
        self.region = region
        self.city = city
        self.riskClass = riskClass
        self.group = group
        self.weight = weight
    }
}

/// One stratum's outcome: its size, its exact quota, its allocated (or expected) sample size.
public struct StratumResult: Sendable, Hashable {
    public var key: String
    /// Index into the task's `effectiveGroups`.
    public var group: Int
    /// The class of its enterprises when the group's strata include class, else "".
    public var riskClass: String
    public var size: Int
    public var ratio: Ratio
    public var quota: Allocation.Quota
    /// The stratum's rounding lottery number in [0, 1) (keyed rounding only).
    public var lottery: Double?
    /// The sum of its enterprises' inclusion probabilities: the quota after min/max, or what a weighted
    /// group's calibration reaches.
    public var expected: Double
    /// Weighted groups: the calibrated scale `c` of `π = min(1, max(floor, c·w))`.
    public var scale: Double?
    public var drawn: Int

    /// The inclusion probability of each enterprise of a fixed-size stratum: its ratio, exactly as written
    /// (`0.014`, not `0.098 / 7`), unless min/max moved the expected size away from the quota.
    public var fixedProbability: Double {
        guard size > 0 else { return 0 }
        return expected == quota.value ? ratio.doubleValue : expected / Double(size)
    }
}

/// One first-level unit of rounding (a risk class of a group, or a group without class strata).
public struct ClassTotal: Sendable, Hashable {
    /// `C` for a task without groups, `general/C` or `shell` with groups.
    public var key: String
    public var group: Int
    public var riskClass: String
    public var size: Int
    public var ratio: Ratio
    public var quota: Allocation.Quota
    public var lottery: Double?
    public var drawn: Int
}

/// One group's totals.
public struct GroupTotal: Sendable, Hashable {
    public var group: Int
    public var size: Int
    /// Σ inclusion probabilities: the expected sample size.
    public var expected: Double
    public var drawn: Int
}

/// A drawn enterprise with its ticket and rank in its stratum.
public struct Selection: Sendable, Hashable {
    public var candidate: Candidate
    public var stratum: String
    public var ticket: Ticket
    /// 1 for the first in the stratum's order (lowest ticket; weighted: lowest ticket ÷ probability).
    public var rank: Int
    /// Its inclusion probability (the ledger's).
    public var probability: Double

    public init(candidate: Candidate, stratum: String, ticket: Ticket, rank: Int, probability: Double = 0) {
        self.candidate = candidate
        self.stratum = stratum
        self.ticket = ticket
        self.rank = rank
        self.probability = probability
    }
}

/// One enterprise in scope: its group, stratum and inclusion probability (`samples/<task>/ledger.csv`).
public struct LedgerEntry: Sendable, Hashable {
    /// Index into the draw's candidates.
    public var index: Int
    /// Index into the task's `effectiveGroups`, or -1 (in no group: exempt).
    public var group: Int
    /// Index into `Draw.Result.strata`, or -1.
    public var stratum: Int
    public var probability: Double
    public var drawn: Bool
}

/// The double-random draw of enterprises: groups, strata, exact sizes, lowest tickets.
///
/// Every enterprise in scope is in one group (`Candidate.group`). Strata are the group's keys (risk class, and
/// county or city) joined by `/`, after the group id when the task declares groups (`general/C/370102`).
///
/// - A group **without weights** draws a fixed number per stratum: sizes follow `Allocation.sizes` with the
///   group's rounding, class totals first (when its strata include class), then strata within each class; for
///   keyed rounding a class's lottery number is `SHA-256(seed ␟ task ␟ "class" ␟ class)` (the class key is
///   `group/class` with groups) and a stratum's `SHA-256(seed ␟ task ␟ "stratum" ␟ key)`. Within a stratum the
///   enterprises with the lowest tickets `SHA-256(seed ␟ task ␟ USCC)` are drawn. Inclusion probability: the
///   stratum's quota (after min/max) ÷ its size.
/// - A group **with weights** is Poisson sampling: in each stratum `π_i = min(1, max(floor, c·w_i))` with `c`
///   such that `Σ π_i` is the stratum's quota (`ProportionalProbabilities`), and an enterprise is drawn iff its
///   ticket, read as a uniform number u, is below π_i. Its inclusion probability is exactly π_i; the sample
///   size varies around the quota.
///
/// Both use only the enterprise's own ticket, so neither depends on input order, threads or shards.
public enum Draw {
    public struct Result: Sendable {
        /// In group order, then by key.
        public var strata: [StratumResult]
        /// First-level rounding units, in group order, then by key.
        public var classes: [ClassTotal]
        public var groups: [GroupTotal]
        /// In group order, by stratum key, then rank.
        public var selections: [Selection]
        /// One entry per candidate, in candidate order.
        public var ledger: [LedgerEntry]
        /// The sum of each group's quotas rounded half up, over the groups: what the ratios ask for in total.
        public var totalByRatio: Int
    }

    /// The stratum key of `c` in a task without groups: its values of `keys` joined by `/`.
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

    /// The stratum key of `c` in `group`: prefixed with the group id when the task declares groups.
    public static func stratumKey(_ c: Candidate, group: SamplingGroup, prefixed: Bool) -> String {
        let own = stratumKey(c, group.strata)
        guard prefixed else { return own }
        return group.strata.isEmpty ? group.id : group.id + "/" + own
    }

    /// The stratum's lottery ticket for keyed rounding.
    public static func lottery(seed: String, task: String, stratum: String) -> Ticket {
        Ticket(fields: [seed, task, "stratum", stratum])
    }

    /// A class's lottery ticket for keyed rounding of class totals.
    public static func classLottery(seed: String, task: String, riskClass: String) -> Ticket {
        Ticket(fields: [seed, task, "class", riskClass])
    }

    /// Classes present in `candidates` that the task gives no ratio (a task without groups).
    public static func classesWithoutRatio(task: SamplingTask, candidates: [Candidate]) -> [String] {
        missingRatios(task: task, candidates: candidates).flatMap(\.classes)
    }

    /// Per group with per-class ratios: the classes of its candidates it gives no ratio.
    public static func missingRatios(task: SamplingTask, candidates: [Candidate]) -> [(group: String, classes: [String])] {
        let groups = task.effectiveGroups
        var present = [Set<String>](repeating: [], count: groups.count)
        for c in candidates where c.group >= 0 { present[c.group].insert(c.riskClass) }
        var out: [(String, [String])] = []
        for (g, group) in groups.enumerated() {
            let missing = present[g].filter { group.ratios.ratio(for: $0) == nil }.sorted()
            if !missing.isEmpty { out.append((group.id, missing)) }
        }
        return out
    }

    private typealias Entry = (ticket: Ticket, index: Int)

    /// Draws `task` from `candidates` with `seed`.
    ///
    /// Candidates are split into `shards` contiguous parts, processed on up to `threads` threads: each part
    /// computes its tickets and groups them by stratum; the sizes are summed and allocated (or, for weighted
    /// groups, the probabilities calibrated); each part keeps its lowest tickets per stratum (or the tickets
    /// under their probability); the parts' lists are merged. Every step is exact and ordered by ticket, so
    /// the result is the same for any input order, shard count and thread count.
    ///
    /// - Precondition: every group with per-class ratios has a ratio for each class of its candidates (see
    ///   `missingRatios`); USCCs are unique; weights are finite and ≥ 0.
    /// - Complexity: O(n log n) for n candidates.
    public static func run(task: SamplingTask, seed: String, candidates: [Candidate], threads: Int = 1, shards: Int = 1) -> Result {
        let draw = Drawing(task: task, seed: seed, candidates: candidates, threads: threads, shards: shards)
        // 1. Tickets, grouped by stratum, per shard.
        let parts = draw.tickets()
        // 2. Sizes summed over shards.
        let census = draw.census(parts)
        // 3. Per group: fixed sizes (allocation) or calibrated probabilities (weighted).
        var strata: [StratumResult] = []
        var classes: [ClassTotal] = []
        var totalByRatio = 0
        for g in draw.groups.indices {
            guard let strataOfGroup = draw.strata(ofGroup: g, census: census) else { continue }
            // Quotas of different groups may have different decimal scales: each group's total is rounded on its own.
            totalByRatio += Allocation.roundedTotal(strataOfGroup.quotas)
            if draw.groups[g].isWeighted {
                strata += draw.weighted(strataOfGroup, parts: parts)
            } else {
                let (fixed, units) = draw.fixed(strataOfGroup)
                strata += fixed
                classes += units
            }
        }
        let stratumIndex = Dictionary(uniqueKeysWithValues: strata.enumerated().map { ($1.key, $0) })
        // 4. Each shard keeps its drawn enterprises per stratum; the shards' lists are merged.
        let kept = draw.keep(parts, strata: strata, stratumIndex: stratumIndex)
        let (selections, drawnIndices) = draw.merge(kept, strata: &strata)
        // 5. The ledger: every candidate's group, stratum and probability.
        let ledger = draw.ledger(strata: strata, stratumIndex: stratumIndex, drawn: drawnIndices)
        return Result(
            strata: strata, classes: classes, groups: groupTotals(strata, groupCount: draw.groups.count), selections: selections,
            ledger: ledger, totalByRatio: totalByRatio)
    }

    /// Each group's size, expected size and number drawn, in group order; groups without candidates are left out.
    private static func groupTotals(_ strata: [StratumResult], groupCount: Int) -> [GroupTotal] {
        (0..<groupCount).compactMap { g in
            let own = strata.filter { $0.group == g }
            guard !own.isEmpty else { return nil }
            return GroupTotal(
                group: g, size: own.reduce(0) { $0 + $1.size }, expected: own.reduce(0) { $0 + $1.expected },
                drawn: own.reduce(0) { $0 + $1.drawn })
        }
    }

    /// A stratum's expected size: its exact quota, raised to `min(minimum, size)` and capped at `maximum`.
    ///
    /// Keyed rounding gives a stratum `⌊q⌋` or `⌈q⌉` with mean `q`, and min/max are whole numbers, so clamping the
    /// quota is the mean of the clamped size.
    static func clampedQuota(_ q: Allocation.Quota, size: Int, minimum: Int, maximum: Int?) -> Double {
        let low = min(minimum, size)
        if q.whole >= size { return Double(size) }
        if let maximum, q.whole > maximum || (q.whole == maximum && q.remainder > 0) { return Double(min(maximum, size)) }
        if q.whole < low { return Double(low) }
        return q.value
    }

    /// Fixed-size order: lowest ticket first, ties by USCC.
    private static func order(_ a: Entry, _ b: Entry, _ candidates: [Candidate]) -> Bool {
        a.ticket != b.ticket ? a.ticket < b.ticket : candidates[a.index].uscc < candidates[b.index].uscc
    }

    /// Weighted order: lowest `u ÷ π` first (an enterprise is drawn iff it is below 1), ties by ticket and USCC.
    private static func weightedOrder(_ a: Entry, _ pa: Double, _ b: Entry, _ pb: Double, _ candidates: [Candidate]) -> Bool {
        let ka = rankKey(a.ticket, pa)
        let kb = rankKey(b.ticket, pb)
        return ka != kb ? ka < kb : order(a, b, candidates)
    }

    /// `u ÷ π`: a weighted group's order. Infinite for probability 0 (last, never drawn).
    public static func rankKey(_ ticket: Ticket, _ probability: Double) -> Double {
        probability > 0 ? ticket.uniform / probability : .infinity
    }
}

/// The steps of `Draw.run`, over what they all read: the task, the seed and the candidates split into shards.
extension Draw {
    private struct Drawing: Sendable {
        let candidates: [Candidate]
        let groups: [SamplingGroup]
        /// Whether stratum keys start with the group id (the task declares groups).
        let prefixed: Bool
        let seed: String
        let taskID: String
        /// The task's floor on a weighted group's inclusion probabilities.
        let floor: Double
        let threads: Int
        /// Each shard's candidates: contiguous ranges of indices.
        let ranges: [Range<Int>]

        init(task: SamplingTask, seed: String, candidates: [Candidate], threads: Int, shards: Int) {
            let n = candidates.count
            let shardCount = max(1, min(shards, max(1, n)))
            self.candidates = candidates
            groups = task.effectiveGroups
            prefixed = task.declaresGroups
            self.seed = seed
            taskID = task.id
            floor = task.floor?.doubleValue ?? 0
            self.threads = threads
            ranges = (0..<shardCount).map { s in (n * s / shardCount)..<(n * (s + 1) / shardCount) }
        }

        /// Each shard's candidates in a group, their tickets listed by stratum key.
        func tickets() -> [[String: [Entry]]] {
            Workers.map(count: ranges.count, threads: threads) { s in
                var byStratum: [String: [Entry]] = [:]
                for i in ranges[s] {
                    let c = candidates[i]
                    guard c.group >= 0 else { continue }
                    let key = stratumKey(c, group: groups[c.group], prefixed: prefixed)
                    byStratum[key, default: []].append((Ticket(seed: seed, task: taskID, uscc: c.uscc), i))
                }
                return byStratum
            }
        }

        /// The strata over all shards: each one's size and one of its candidates (for its group and class).
        struct Census {
            var size: [String: Int] = [:]
            var sample: [String: Candidate] = [:]
            /// In group order, then by key.
            var keys: [String] = []
        }

        func census(_ parts: [[String: [Entry]]]) -> Census {
            var census = Census()
            for part in parts {
                for (key, entries) in part {
                    census.size[key, default: 0] += entries.count
                    if census.sample[key] == nil { census.sample[key] = candidates[entries[0].index] }
                }
            }
            census.keys = census.size.keys.sorted { a, b in
                let (ga, gb) = (census.sample[a]!.group, census.sample[b]!.group)
                return ga != gb ? ga < gb : a < b
            }
            return census
        }

        /// One group's strata, by key, with their sizes, classes, ratios, exact quotas and clamped targets.
        struct GroupStrata {
            var group: Int
            var keys: [String]
            var sizes: [Int]
            /// Each stratum's class when the group's strata include class, else "".
            var classOf: [String]
            var ratios: [Ratio]
            var quotas: [Allocation.Quota]
            /// The expected sizes: quotas after the group's min/max per stratum.
            var targets: [Double]
        }

        /// `nil` when the group has no candidates.
        func strata(ofGroup g: Int, census: Census) -> GroupStrata? {
            let group = groups[g]
            let keys = census.keys.filter { census.sample[$0]!.group == g }
            guard !keys.isEmpty else { return nil }
            let sizes = keys.map { census.size[$0]! }
            let hasClass = group.strata.contains("class")
            let ratios = keys.indices.map { group.ratios.ratio(for: census.sample[keys[$0]]!.riskClass) ?? .zero }
            let quotas = Allocation.quotas(sizes: sizes, ratios: ratios)
            return GroupStrata(
                group: g, keys: keys, sizes: sizes, classOf: keys.map { hasClass ? census.sample[$0]!.riskClass : "" }, ratios: ratios,
                quotas: quotas,
                targets: keys.indices.map { i in
                    clampedQuota(quotas[i], size: sizes[i], minimum: group.minimumPerStratum, maximum: group.maximumPerStratum)
                })
        }

        /// A weighted group's strata: each one's probabilities calibrated to its target (Poisson sampling).
        func weighted(_ s: GroupStrata, parts: [[String: [Entry]]]) -> [StratumResult] {
            s.keys.enumerated().map { i, key in
                let weights = parts.flatMap { ($0[key] ?? []).map { candidates[$0.index].weight } }
                let solution = ProportionalProbabilities.solve(weights: weights, floor: floor, expected: s.targets[i])
                return StratumResult(
                    key: key, group: s.group, riskClass: s.classOf[i], size: s.sizes[i], ratio: s.ratios[i], quota: s.quotas[i], lottery: nil,
                    expected: solution.expected, scale: solution.scale, drawn: 0)
            }
        }

        /// A fixed-size group's strata, sized by `Allocation.sizes` (class totals first when its strata include
        /// class), and its first-level rounding units.
        func fixed(_ s: GroupStrata) -> ([StratumResult], [ClassTotal]) {
            let group = groups[s.group]
            let hasClass = group.strata.contains("class")
            let units = Array(Set(s.classOf)).sorted()
            let unitOf = s.classOf.map { units.firstIndex(of: $0)! }
            let keyed = group.rounding == .keyed
            let unitKey = { (cls: String) in prefixed ? (cls.isEmpty ? group.id : group.id + "/" + cls) : cls }
            let lottery = keyed ? s.keys.map { Draw.lottery(seed: seed, task: taskID, stratum: $0).uniform } : []
            let unitLottery = keyed && hasClass ? units.map { classLottery(seed: seed, task: taskID, riskClass: unitKey($0)).uniform } : []
            let counts = Allocation.sizes(
                sizes: s.sizes, ratios: s.ratios, rounding: group.rounding, groups: hasClass ? unitOf : nil, groupLottery: unitLottery,
                lottery: lottery, minimum: group.minimumPerStratum, maximum: group.maximumPerStratum)
            let strata = s.keys.enumerated().map { i, key in
                StratumResult(
                    key: key, group: s.group, riskClass: s.classOf[i], size: s.sizes[i], ratio: s.ratios[i], quota: s.quotas[i],
                    lottery: lottery.isEmpty ? nil : lottery[i], expected: s.targets[i], scale: nil, drawn: counts[i])
            }
            let classes = units.enumerated().map { u, cls in
                let members = s.keys.indices.filter { unitOf[$0] == u }
                return ClassTotal(
                    key: unitKey(cls), group: s.group, riskClass: cls, size: members.reduce(0) { $0 + s.sizes[$1] },
                    ratio: group.ratios.ratio(for: cls) ?? s.ratios[members[0]],
                    quota: Allocation.Quota.sum(members.map { s.quotas[$0] }, scale: s.quotas.first?.scale ?? 0),
                    lottery: unitLottery.isEmpty ? nil : unitLottery[u], drawn: members.reduce(0) { $0 + counts[$1] })
            }
            return (strata, classes)
        }

        /// Each shard's drawn enterprises per stratum: its lowest tickets (fixed size), or those under their probability.
        func keep(_ parts: [[String: [Entry]]], strata: [StratumResult], stratumIndex: [String: Int]) -> [[String: [Entry]]] {
            Workers.map(count: ranges.count, threads: threads) { s in
                var out: [String: [Entry]] = [:]
                for (key, entries) in parts[s] {
                    let st = strata[stratumIndex[key]!]
                    if let scale = st.scale {
                        out[key] = entries.filter { e in
                            e.ticket.uniform < ProportionalProbabilities.probability(weight: candidates[e.index].weight, scale: scale, floor: floor)
                        }
                    } else {
                        out[key] = Array(entries.sorted { order($0, $1, candidates) }.prefix(st.drawn))
                    }
                }
                return out
            }
        }

        /// The shards' lists merged per stratum, in its order and ranked; a weighted stratum's `drawn` is set.
        /// - Returns: the selections, and the indices of the drawn candidates.
        func merge(_ kept: [[String: [Entry]]], strata: inout [StratumResult]) -> ([Selection], Set<Int>) {
            var selections: [Selection] = []
            var drawnIndices = Set<Int>()
            for (si, st) in strata.enumerated() {
                var merged = kept.flatMap { $0[st.key] ?? [] }
                if let scale = st.scale {
                    let probability = { (e: Entry) in
                        ProportionalProbabilities.probability(weight: candidates[e.index].weight, scale: scale, floor: floor)
                    }
                    merged.sort { weightedOrder($0, probability($0), $1, probability($1), candidates) }
                    strata[si].drawn = merged.count
                    for (rank, e) in merged.enumerated() {
                        selections.append(
                            Selection(candidate: candidates[e.index], stratum: st.key, ticket: e.ticket, rank: rank + 1, probability: probability(e)))
                        drawnIndices.insert(e.index)
                    }
                } else {
                    merged.sort { order($0, $1, candidates) }
                    let p = st.fixedProbability
                    for (rank, e) in merged.prefix(st.drawn).enumerated() {
                        selections.append(Selection(candidate: candidates[e.index], stratum: st.key, ticket: e.ticket, rank: rank + 1, probability: p))
                        drawnIndices.insert(e.index)
                    }
                }
            }
            return (selections, drawnIndices)
        }

        /// One entry per candidate, in candidate order: its group, stratum, inclusion probability and whether drawn.
        func ledger(strata: [StratumResult], stratumIndex: [String: Int], drawn: Set<Int>) -> [LedgerEntry] {
            candidates.indices.map { i in
                let c = candidates[i]
                guard c.group >= 0 else { return LedgerEntry(index: i, group: -1, stratum: -1, probability: 0, drawn: false) }
                let si = stratumIndex[stratumKey(c, group: groups[c.group], prefixed: prefixed)]!
                let st = strata[si]
                let p =
                    st.scale.map { ProportionalProbabilities.probability(weight: c.weight, scale: $0, floor: floor) }
                    ?? st.fixedProbability
                return LedgerEntry(index: i, group: c.group, stratum: si, probability: p, drawn: drawn.contains(i))
            }
        }
    }
}
