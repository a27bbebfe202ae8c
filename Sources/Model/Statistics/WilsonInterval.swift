import Foundation

/// The Wilson score interval for a binomial proportion: `successes` of `trials`.
///
/// Used for every rate the back-test shows (a problem-discovery rate per class, per decile, per city):
/// unlike the normal approximation it stays inside [0, 1] and behaves for small counts and rates near 0 or 1.
public struct WilsonInterval: Sendable, Equatable, Codable {
    public var rate: Double
    public var lower: Double
    public var upper: Double

    /// - Parameter z: the normal quantile; 1.959964 for a 95% interval.
    public init(successes: Double, trials: Double, z: Double = 1.959964) {
        guard trials > 0 else {
            rate = .nan
            lower = 0
            upper = 1
            return
        }
        let p = successes / trials
        let z2 = z * z
        let denominator = 1 + z2 / trials
        let centre = (p + z2 / (2 * trials)) / denominator
        let half = z * (p * (1 - p) / trials + z2 / (4 * trials * trials)).squareRoot() / denominator
        rate = p
        lower = max(0, centre - half)
        upper = min(1, centre + half)
    }

    public func contains(_ x: Double) -> Bool { x >= lower && x <= upper }
}
