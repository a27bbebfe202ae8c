import Foundation

/// How the generator decides what an inspection finds: the "truth" a back-test of the risk model should find
/// and a fitted scorecard should recover (`docs/model.md`).
///
/// Only the latent risk factor `f` (`RiskProfile.factor`: about 1 for low risk, 2–4.5 medium, 3.5–7 high,
/// 9–18 very high) and dormancy drive the outcome; no tag enters directly. Tags predict problems only through
/// what the same factor does to the enterprise's other records (late reports, listings, penalties, tax
/// ratings, arrears …), each with its own sensitivity and noise.
/// - Random (双随机) inspections happen at `0.035 · f^0.6` visits a year; targeted ones after 35% of
///   substantiated complaints and, from data monitoring, at `0.004 · f^1.2` a year.
/// - Each inspected item finds a problem with probability `q = min(0.75, 0.07 · f^0.8)`, ×1.8 for a targeted
///   visit (a problem was suspected). Before the items, the whole visit fails (unreachable, activity not
///   found, not cooperating) with probability `0.15 · q`. So doubling `f` multiplies `q` by 2^0.8 ≈ 1.74.
/// - A visit covers one to three items (first licence or annual report, then 0, 1 or 2 more with
///   probabilities 0.45, 0.4, 0.15, from the industry's items, 6% from any item; duplicates dropped).
/// - From 120 days before a dormant enterprise's abnormal listing on, a visit finds it unreachable (50%), its
///   activity gone (30%), not cooperating (10%): a problem 90% of the time, whatever `f`.
public enum InspectionOutcomeModel {
    /// Random inspection visits a year.
    public static func randomVisitsPerYear(factor: Double) -> Double { 0.035 * pow(factor, 0.6) }

    /// The chance that one inspected item finds a problem (the same expression `inspect` draws with).
    public static func itemProblemProbability(factor: Double, random: Bool) -> Double {
        min(0.75, 0.07 * pow(factor, 0.8) * (random ? 1 : 1.8))
    }

    /// The problem probability of a dormant enterprise's visit.
    public static let dormantVisitProblemProbability = 0.9

    /// How many days before the abnormal listing a dormant enterprise is no longer found.
    public static let dormantDaysBeforeListing = 120

    /// The chance that a visit finds a problem in at least one item (or fails as a whole), for an enterprise
    /// that is not dormant: 1 − (1 − 0.15q) · E[(1 − q)^k], k the number of distinct items, enumerated exactly.
    static func visitProblemProbability(factor: Double, random: Bool, industryItems: [InspectionItem]) -> Double {
        let q = itemProblemProbability(factor: factor, random: random)
        let all = InspectionItem.allCases
        var candidate: [(InspectionItem, Double)] = all.map { ($0, 0.06 / Double(all.count)) }
        for item in industryItems {
            let share = 0.94 / Double(industryItems.count)
            if let i = candidate.firstIndex(where: { $0.0 == item }) { candidate[i].1 += share }
        }
        func expand(_ items: Set<InspectionItem>, _ remaining: Int) -> Double {
            guard remaining > 0 else { return pow(1 - q, Double(items.count)) }
            return candidate.reduce(0) { sum, c in sum + c.1 * expand(items.union([c.0]), remaining - 1) }
        }
        var noProblem = 0.0
        for first in [InspectionItem.licence, .annualReport] {
            for (extra, weight) in [0.45, 0.4, 0.15].enumerated() {
                noProblem += 0.5 * weight * expand([first], extra)
            }
        }
        return 1 - (1 - 0.15 * q) * noProblem
    }
}
