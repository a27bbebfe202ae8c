/// How the fractional parts of stratum quotas are rounded to whole enterprises.
public enum Rounding: String, Sendable, CaseIterable {
    /// Largest remainder, with the remainders ranked by a keyed-hash lottery (the default). Each stratum's
    /// expected size equals its quota, so no enterprise is ever exempt however small its stratum.
    case keyed
    /// Classic largest remainder: the largest fractional parts win, ties to the stratum listed first.
    /// Deterministic without a seed, but a small stratum whose remainder never wins is never sampled.
    case largestRemainder = "largest_remainder"
}

/// Exact stratum sample sizes from ratios.
///
/// Each stratum's quota is `size × ratio`, computed exactly (ratios are decimals). Strata are grouped
/// (by risk class in a draw), and rounding happens at two levels so that both the whole sample and each
/// class match the task's ratios as closely as whole enterprises allow:
/// 1. the total is the sum of all quotas rounded half up; each group gets the whole part of its quota, and
///    the units still missing go one each to groups with a remainder, chosen by `Rounding`;
/// 2. within a group, each stratum gets the whole part of its quota, and the units still missing to reach
///    the group's total go one each to strata with a remainder, chosen the same way.
/// So every group's total is its quota rounded down or up, and every stratum's size is its quota rounded
/// down or up. A stratum never gets more than its size; `minimum` (capped at the stratum's size) and
/// `maximum` are applied last and may move the total away from the rounded sum.
public enum Allocation {
    /// One stratum's exact quota: `whole + remainder / 10^scale`.
    public struct Quota: Sendable, Hashable {
        public var whole: Int
        public var remainder: Int64
        public var scale: Int

        public var fraction: Double { Double(remainder) / Double(Ratio.power(scale)) }
        public var value: Double { Double(whole) + fraction }

        /// The exact sum of quotas at one scale.
        public static func sum(_ quotas: [Quota], scale: Int) -> Quota {
            let denominator = Ratio.power(scale)
            let remainders = quotas.reduce(Int64(0)) { $0 + $1.remainder }
            return Quota(
                whole: quotas.reduce(0) { $0 + $1.whole } + Int(remainders / denominator), remainder: remainders % denominator,
                scale: scale)
        }

        /// Rounded half up.
        public var rounded: Int { whole + (remainder * 2 >= Ratio.power(scale) ? 1 : 0) }
    }

    /// The exact quotas of strata at a common decimal scale.
    public static func quotas(sizes: [Int], ratios: [Ratio]) -> [Quota] {
        precondition(sizes.count == ratios.count)
        let scale = ratios.map(\.scale).max() ?? 0
        let denominator = Ratio.power(scale)
        return zip(sizes, ratios).map { size, ratio in
            let product = Int64(size) * ratio.numerator(atScale: scale)
            return Quota(whole: Int(product / denominator), remainder: product % denominator, scale: scale)
        }
    }

    /// The sum of the quotas, rounded half up.
    public static func roundedTotal(_ quotas: [Quota]) -> Int {
        guard let scale = quotas.first?.scale else { return 0 }
        return Quota.sum(quotas, scale: scale).rounded
    }

    /// Which of `candidates` get one extra unit: `extra` of those with a remainder.
    ///
    /// `.largestRemainder`: the largest remainders, ties to the lower index. `.keyed`: a candidate with
    /// remainder fraction `f` and lottery number `u` ranks by `u(1−f) / ((1−u)f)`, smallest first (Pareto
    /// order sampling), which gives it the extra unit with probability very nearly `f`; ties to the lower index.
    static func winners(_ quotas: [Quota], among candidates: [Int], extra: Int, rounding: Rounding, lottery: [Double]) -> [Int] {
        let withRemainder = candidates.filter { quotas[$0].remainder > 0 }
        let order: [Int]
        switch rounding {
        case .largestRemainder:
            order = withRemainder.sorted { a, b in
                quotas[a].remainder != quotas[b].remainder ? quotas[a].remainder > quotas[b].remainder : a < b
            }
        case .keyed:
            let keys = Dictionary(
                uniqueKeysWithValues: withRemainder.map { i -> (Int, Double) in
                    let f = quotas[i].fraction
                    let u = lottery[i]
                    return (i, (u * (1 - f)) / ((1 - u) * f))
                })
            order = withRemainder.sorted { a, b in keys[a]! != keys[b]! ? keys[a]! < keys[b]! : a < b }
        }
        return Array(order.prefix(max(0, extra)))
    }

    /// Sizes for strata.
    ///
    /// - Parameters:
    ///   - groups: each stratum's group (0-based, e.g. its risk class); all in group 0 by default.
    ///   - groupLottery: for `.keyed`, each group's uniform number in [0, 1).
    ///   - lottery: for `.keyed`, each stratum's uniform number in [0, 1).
    /// - Complexity: O(n log n) in the number of strata.
    public static func sizes(
        sizes: [Int], ratios: [Ratio], rounding: Rounding, groups: [Int]? = nil, groupLottery: [Double] = [], lottery: [Double] = [],
        minimum: Int = 0, maximum: Int? = nil
    ) -> [Int] {
        let quotas = quotas(sizes: sizes, ratios: ratios)
        let scale = quotas.first?.scale ?? 0
        let group = groups ?? Array(repeating: 0, count: sizes.count)
        let groupCount = (group.max() ?? -1) + 1
        if rounding == .keyed {
            precondition(lottery.count == sizes.count, "keyed rounding needs one lottery number per stratum")
            precondition(groups == nil || groupLottery.count == groupCount, "keyed rounding needs one lottery number per group")
        }
        var members = [[Int]](repeating: [], count: groupCount)
        for (i, g) in group.enumerated() { members[g].append(i) }
        // Level 1: group totals.
        let groupQuotas = members.map { Quota.sum($0.map { quotas[$0] }, scale: scale) }
        var totals = groupQuotas.map(\.whole)
        let extra = (groupQuotas.isEmpty ? 0 : Quota.sum(groupQuotas, scale: scale).rounded) - totals.reduce(0, +)
        let groupLots = groups == nil ? Array(repeating: 0.5, count: groupCount) : groupLottery
        for g in winners(groupQuotas, among: Array(0..<groupCount), extra: extra, rounding: rounding, lottery: groupLots) {
            totals[g] += 1
        }
        // Level 2: strata within each group.
        var counts = quotas.map(\.whole)
        for (g, m) in members.enumerated() {
            let missing = totals[g] - m.reduce(0) { $0 + counts[$1] }
            for i in winners(quotas, among: m, extra: missing, rounding: rounding, lottery: lottery) { counts[i] += 1 }
        }
        for i in counts.indices {
            counts[i] = max(counts[i], min(minimum, sizes[i]))
            if let maximum { counts[i] = min(counts[i], maximum) }
            counts[i] = min(counts[i], sizes[i])
        }
        return counts
    }

    /// Classic largest remainder over `Double` ratios (converted to exact decimals first).
    public static func largestRemainder(
        sizes: [Int], ratios: [Double], minimum: Int = 0, maximum: Int? = nil
    ) -> [Int] {
        let exact = ratios.map { Ratio($0) ?? .zero }
        return Allocation.sizes(sizes: sizes, ratios: exact, rounding: .largestRemainder, minimum: minimum, maximum: maximum)
    }
}
