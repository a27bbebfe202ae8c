/// Inclusion probabilities proportional to weights, with a floor and a cap of 1, summing to a target.
///
/// `π_i = min(1, max(floor, c·w_i))`, with the one `c ≥ 0` for which `Σ π_i = n`. Units whose `c·w_i`
/// would exceed 1 are taken with certainty and the others share the rest in proportion to their weights;
/// units whose `c·w_i` is under the floor get the floor. `Σ π_i` is piecewise linear and non-decreasing in `c`,
/// so `c` is found exactly: a binary search over the breakpoints `floor/w_i` and `1/w_i` finds the piece, and
/// the piece's linear equation gives `c`.
///
/// When `n` is below `floor × count` every unit gets the floor (the floor wins; the expected size is then above
/// `n`); when `n` is above what certainty for every positive weight gives, those get 1 (below `n`).
///
/// The result depends only on the multiset of weights, never on their order: sums run over the weights
/// sorted by value, so a shard or thread count cannot change a probability's last bit.
public enum ProportionalProbabilities {
    public struct Solution: Sendable, Equatable {
        /// The scale `c`.
        public var scale: Double
        /// `Σ π_i`: `n`, unless the floor or the cap made it unreachable.
        public var expected: Double
    }

    /// The probability of a unit of weight `w` under `scale`.
    @inline(__always)
    public static func probability(weight w: Double, scale c: Double, floor: Double) -> Double {
        min(1, max(floor, c * w))
    }

    /// - Precondition: weights are finite and ≥ 0; `0 ≤ floor ≤ 1`; `n ≥ 0`.
    /// - Complexity: O(k log k) for k weights.
    public static func solve(weights: [Double], floor: Double, expected n: Double) -> Solution {
        let w = weights.sorted()
        let k = w.count
        guard k > 0 else { return Solution(scale: 0, expected: 0) }
        // prefix[i] = w[0] + … + w[i-1], in ascending order.
        var prefix = [Double](repeating: 0, count: k + 1)
        for i in 0..<k { prefix[i + 1] = prefix[i] + w[i] }

        /// Index of the first weight > x (weights ≤ x come before it).
        func upper(_ x: Double) -> Int {
            var lo = 0
            var hi = k
            while lo < hi {
                let mid = (lo + hi) / 2
                if w[mid] <= x { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        /// Index of the first weight ≥ x.
        func lower(_ x: Double) -> Int {
            var lo = 0
            var hi = k
            while lo < hi {
                let mid = (lo + hi) / 2
                if w[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }
        /// The pieces' parts at scale c: units at the floor, units at 1, and the weight sum of the others.
        func parts(_ c: Double) -> (low: Int, high: Int, middle: Double) {
            guard c > 0 else { return (k, 0, 0) }
            let low = upper(floor / c)
            let high = k - max(low, lower(1 / c))
            return (low, high, prefix[k - high] - prefix[low])
        }
        func total(_ c: Double) -> Double {
            let p = parts(c)
            return floor * Double(p.low) + Double(p.high) + c * p.middle
        }
        func sum(_ c: Double) -> Double {
            w.reduce(0) { $0 + probability(weight: $1, scale: c, floor: floor) }
        }

        if n <= floor * Double(k) { return Solution(scale: 0, expected: floor * Double(k)) }
        var breakpoints: [Double] = []
        breakpoints.reserveCapacity(2 * k)
        for x in w where x > 0 {
            breakpoints.append(1 / x)
            if floor > 0 { breakpoints.append(floor / x) }
        }
        breakpoints.sort()
        guard let last = breakpoints.last else {
            // Every weight is 0: everyone has the floor.
            return Solution(scale: 0, expected: floor * Double(k))
        }
        if total(last) <= n { return Solution(scale: last, expected: sum(last)) }
        // The first breakpoint where the total reaches n; c lies on the piece just before it.
        var lo = 0
        var hi = breakpoints.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if total(breakpoints[mid]) >= n { hi = mid } else { lo = mid + 1 }
        }
        let right = breakpoints[lo]
        let left = lo > 0 ? breakpoints[lo - 1] : 0
        let p = parts(left > 0 ? (left + right) / 2 : right / 2)
        var c = right
        if p.middle > 0 {
            c = (n - floor * Double(p.low) - Double(p.high)) / p.middle
            c = min(max(c, left), right)
        }
        return Solution(scale: c, expected: sum(c))
    }
}
