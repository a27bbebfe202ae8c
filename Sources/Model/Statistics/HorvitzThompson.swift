/// Horvitz–Thompson estimates from a probability sample: each inspected unit stands for 1/π units of the
/// population, π its inclusion probability from the draw's ledger.
///
/// Only a random draw has known inclusion probabilities; targeted inspections (π = 1 by choice, or no π)
/// must not enter these estimates, and `estimate` refuses π outside (0, 1].
public struct HorvitzThompson: Sendable, Equatable, Codable {
    /// Estimated number of units with the outcome in the population: Σ y/π.
    public var total: Double
    /// Estimated population size: Σ 1/π.
    public var population: Double
    /// The ratio (Hájek) estimate of the population rate: total / population.
    public var rate: Double
    /// Its standard error under Poisson sampling (independent draws with probability π):
    /// Var = Σ (1 − π)/π² · (y − rate)², the linearised variance of the ratio over the estimated population².
    public var standardError: Double
    public var sampled: Int

    public static func estimate(outcomes: [Bool], probabilities: [Double]) -> HorvitzThompson? {
        precondition(outcomes.count == probabilities.count)
        guard !outcomes.isEmpty, probabilities.allSatisfy({ $0 > 0 && $0 <= 1 }) else { return nil }
        var total = 0.0
        var population = 0.0
        for (y, p) in zip(outcomes, probabilities) {
            population += 1 / p
            if y { total += 1 / p }
        }
        let rate = total / population
        var variance = 0.0
        for (y, p) in zip(outcomes, probabilities) {
            let residual = (y ? 1 : 0) - rate
            variance += (1 - p) / (p * p) * residual * residual
        }
        return HorvitzThompson(
            total: total, population: population, rate: rate, standardError: variance.squareRoot() / population,
            sampled: outcomes.count)
    }
}
