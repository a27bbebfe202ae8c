/// Exact stratum sample sizes from ratios, by the largest-remainder method.
///
/// Each stratum's quota is `size × ratio`. Every stratum gets the whole part of its quota; the units left
/// so that the total equals the rounded sum of quotas go to the strata with the largest fractional parts
/// (ties: the stratum listed first). A stratum never gets more than its size, nor fewer than `minimum`
/// (capped at its size), nor more than `maximum`.
public enum Allocation {
    public static func largestRemainder(
        sizes: [Int], ratios: [Double], minimum: Int = 0, maximum: Int? = nil
    ) -> [Int] {
        precondition(sizes.count == ratios.count)
        let quotas = zip(sizes, ratios).map { Double($0) * $1 }
        var counts = quotas.map { Int($0.rounded(.down)) }
        let total = Int((quotas.reduce(0, +)).rounded(.toNearestOrAwayFromZero))
        var remaining = total - counts.reduce(0, +)
        let order = quotas.indices.sorted { a, b in
            let fa = quotas[a] - quotas[a].rounded(.down)
            let fb = quotas[b] - quotas[b].rounded(.down)
            return fa != fb ? fa > fb : a < b
        }
        var k = 0
        while remaining > 0 && k < order.count {
            let i = order[k]
            if counts[i] < sizes[i] {
                counts[i] += 1
                remaining -= 1
            }
            k += 1
        }
        for i in counts.indices {
            counts[i] = max(counts[i], min(minimum, sizes[i]))
            if let maximum { counts[i] = min(counts[i], maximum) }
            counts[i] = min(counts[i], sizes[i])
        }
        return counts
    }
}
