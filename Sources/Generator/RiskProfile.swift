import Foundation

/// The latent credit-risk propensity every event rate of an enterprise is driven by.
///
/// Shares 70% low, 20% medium, 8% high, 2% very high, so that a reasonable scorecard lands near the
/// class shares seen in practice (A 65%, B 25%, C 8%, D 2%; see DOMAIN.md). Inside a level the factor
/// varies continuously, and each signal raises it to its own power and adds its own noise, so signals
/// correlate without being copies of one another.
struct RiskProfile: Sendable {
    enum Level: Int, CaseIterable, Sendable {
        case low, medium, high, veryHigh
    }

    let level: Level
    /// Relative event intensity: about 1 for low risk, up to 18 for very high risk.
    let factor: Double

    static let shares: [Double] = [0.70, 0.20, 0.08, 0.02]

    static func drawLevel(_ random: inout Random) -> Level {
        Level(rawValue: random.weighted(shares)) ?? .low
    }

    init(level: Level, _ random: inout Random) {
        self.level = level
        switch level {
        case .low: factor = random.uniform(0.5, 1.5)
        case .medium: factor = random.uniform(2, 4.5)
        case .high: factor = random.uniform(3.5, 7)
        case .veryHigh: factor = random.uniform(9, 18)
        }
    }

    /// `base` events per year scaled by this enterprise's risk: `base · factor^elasticity`.
    ///
    /// An elasticity near 0 makes the signal mostly risk-independent (complaints follow the trade more
    /// than the risk); above 1 concentrates it on the riskiest enterprises (invoice fraud).
    func rate(_ base: Double, elasticity: Double = 1) -> Double { base * pow(factor, elasticity) }

    /// A probability from a per-level table.
    func pick(_ low: Double, _ medium: Double, _ high: Double, _ veryHigh: Double) -> Double {
        switch level {
        case .low: return low
        case .medium: return medium
        case .high: return high
        case .veryHigh: return veryHigh
        }
    }
}
