import Foundation

/// The population stability index between two distributions over the same bins:
/// PSI = Σ (a − e) · ln(a / e), with a and e the shares of the actual and expected populations.
///
/// Scorecard monitoring reads it as: below 0.1 stable, 0.1–0.25 some shift, above 0.25 a real shift.
/// An empty bin's share is floored at `epsilon` so that the index stays finite.
public enum PopulationStability {
    public static let epsilon = 1e-4

    public static func index(expected: [Double], actual: [Double]) -> Double {
        precondition(expected.count == actual.count)
        let e = shares(expected)
        let a = shares(actual)
        var psi = 0.0
        for i in e.indices {
            let ei = max(e[i], epsilon)
            let ai = max(a[i], epsilon)
            psi += (ai - ei) * log(ai / ei)
        }
        return psi
    }

    /// Counts to shares.
    static func shares(_ counts: [Double]) -> [Double] {
        let total = counts.reduce(0, +)
        return counts.map { total > 0 ? $0 / total : 0 }
    }

    /// Counts of `values` in the bins `[edges[i-1], edges[i])`, with an open first and last bin:
    /// `edges.count + 1` bins.
    public static func counts(_ values: [Double], edges: [Double]) -> [Double] {
        var c = [Double](repeating: 0, count: edges.count + 1)
        for v in values {
            var b = 0
            while b < edges.count && v >= edges[b] { b += 1 }
            c[b] += 1
        }
        return c
    }

    /// Decile edges of `values` (the expected run's scores), distinct: the upper bins of a scorecard with many
    /// ties collapse.
    public static func decileEdges(_ values: [Double]) -> [Double] {
        let sorted = values.sorted()
        var edges: [Double] = []
        for k in 1..<10 {
            let q = Quantile.sorted(sorted, Double(k) / 10)
            if q > (edges.last ?? -.infinity) && q > (sorted.first ?? q) { edges.append(q) }
        }
        return edges
    }
}
