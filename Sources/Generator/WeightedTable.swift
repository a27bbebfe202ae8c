/// A categorical distribution over many items (counties, industries) sampled by binary search.
///
/// Built once per run from the reference tables; `Random.weighted` is for the small inline tables.
struct WeightedTable: Sendable {
    private let cumulative: [Double]

    /// - Precondition: at least one weight is positive (checked by the caller when building from input data).
    init(_ weights: [Double]) {
        var running = 0.0
        cumulative = weights.map { w in
            running += max(0, w)
            return running
        }
    }

    var total: Double { cumulative.last ?? 0 }

    func pick(_ random: inout Random) -> Int {
        let x = random.unit() * total
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] > x { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
