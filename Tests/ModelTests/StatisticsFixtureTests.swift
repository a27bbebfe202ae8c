import Foundation
import Model
import Testing

/// The statistics against fixtures worked by hand (the arithmetic is in each test's comment).
@Suite struct StatisticsFixtureTests {
    @Test func wilsonIntervalOfTwentyInAHundred() {
        // p = 0.2, n = 100, z² = 3.8415: centre = (0.2 + 0.019208)/1.038415 = 0.21110,
        // half = 1.96·√(0.0016 + 0.000096)/1.038415 = 0.07773 → [0.1334, 0.2888].
        let w = WilsonInterval(successes: 20, trials: 100)
        #expect(abs(w.rate - 0.2) < 1e-12)
        #expect(abs(w.lower - 0.13337) < 1e-4)
        #expect(abs(w.upper - 0.28883) < 1e-4)
        // No successes: the lower end is 0, the upper one z²/(n + z²) = 3.8415/13.8415.
        let zero = WilsonInterval(successes: 0, trials: 10)
        #expect(zero.lower == 0)
        #expect(abs(zero.upper - 3.8415 / 13.8415) < 1e-4)
    }

    @Test func aucCountsTiesAsHalf() {
        // Positives score 2 and 3, negatives 1 and 2: pairs (2,1) 1, (2,2) ½, (3,1) 1, (3,2) 1 → 3.5/4.
        #expect(RankAUC.auc(scores: [1, 2, 2, 3], outcomes: [false, true, false, true]) == 0.875)
        // A constant score cannot rank: 0.5.
        #expect(RankAUC.auc(scores: [5, 5, 5, 5], outcomes: [true, false, true, false]) == 0.5)
        #expect(RankAUC.auc(scores: [1, 2], outcomes: [true, true]).isNaN)
        let roc = RankAUC.rocCurve(scores: [1, 2, 2, 3], outcomes: [false, true, false, true])
        #expect(roc.map(\.fpr) == [0, 0, 0.5, 1])
        #expect(roc.map(\.tpr) == [0, 0.5, 1, 1])
    }

    @Test func ksMovesTiesTogether() {
        // At ≤1: positives 0, negatives ½; at ≤2: ½ and 1; at ≤3: 1 and 1 → 0.5.
        #expect(KolmogorovSmirnov.statistic(scores: [1, 2, 2, 3], outcomes: [false, true, false, true]) == 0.5)
        // Perfect separation: 1.
        #expect(KolmogorovSmirnov.statistic(scores: [1, 2, 3, 4], outcomes: [false, false, true, true]) == 1)
    }

    @Test func psiOfAShiftedSplit() {
        // (0.25 − 0.5)·ln 0.5 + (0.75 − 0.5)·ln 1.5 = 0.17329 + 0.10137 = 0.27465.
        #expect(abs(PopulationStability.index(expected: [50, 50], actual: [25, 75]) - 0.27465) < 1e-4)
        #expect(PopulationStability.index(expected: [10, 30], actual: [20, 60]) == 0)
        #expect(PopulationStability.counts([0, 5, 10, 15], edges: [5, 10]) == [1, 1, 2])
    }

    @Test func informationValueOfTwoBins() {
        // Bin 1: 10 positives, 90 negatives; bin 2: 30 and 70. P = 40, N = 160.
        // WoE₁ = ln(0.25/0.5625) = −0.81093, WoE₂ = ln(0.75/0.4375) = 0.53900;
        // IV = (0.25 − 0.5625)(−0.81093) + (0.75 − 0.4375)(0.53900) = 0.25342 + 0.16844 = 0.42186.
        let values = [Double](repeating: 0, count: 100) + [Double](repeating: 1, count: 100)
        let outcomes = (0..<100).map { $0 < 10 } + (0..<100).map { $0 < 30 }
        let b = WoEBinning.numeric(values: values, outcomes: outcomes)
        #expect(b.bins.count == 2)
        #expect(abs(b.bins[0].woe + 0.81093) < 1e-4)
        #expect(abs(b.bins[1].woe - 0.53900) < 1e-4)
        #expect(abs(b.informationValue - 0.42186) < 1e-4)
    }

    @Test func binsAreMadeMonotone() {
        // Rates by value 0…3: 10%, 30%, 20%, 50% (100 each): 1 and 2 violate the rising order and merge (25%).
        var values: [Double] = []
        var outcomes: [Bool] = []
        for (v, positives) in [(0.0, 10), (1, 30), (2, 20), (3, 50)] {
            for i in 0..<100 {
                values.append(v)
                outcomes.append(i < positives)
            }
        }
        let b = WoEBinning.numeric(values: values, outcomes: outcomes)
        #expect(b.bins.map(\.count) == [100, 200, 100])
        #expect(b.bins.map(\.positives) == [10, 50, 50])
        #expect(b.bins[1].min == 1 && b.bins[1].below == 3)
        #expect(b.binIndex(2.5) == 1 && b.binIndex(7) == 2 && b.binIndex(.nan) == nil)
    }

    @Test func logisticRegressionOfOneBinaryFeatureIsTheGroupLogOdds() {
        // x = 0: 2 of 10 positive; x = 1: 6 of 10. Unpenalised, the fit reproduces both groups' log-odds:
        // intercept ln(2/8), coefficient ln(6/4) − ln(2/8) = ln 6.
        var rows: [[Double]] = []
        var y: [Bool] = []
        for i in 0..<10 {
            rows.append([0])
            y.append(i < 2)
            rows.append([1])
            y.append(i < 6)
        }
        let fit = LogisticRegression.fit(rows: rows, outcomes: y, lambda: 0)
        #expect(abs(fit.intercept - log(0.25)) < 1e-8)
        #expect(abs(fit.coefficients[0] - log(6)) < 1e-8)
        // A penalty shrinks the coefficient towards 0.
        let shrunk = LogisticRegression.fit(rows: rows, outcomes: y, lambda: 5)
        #expect(shrunk.coefficients[0] > 0 && shrunk.coefficients[0] < log(6))
    }

    @Test func horvitzThompsonWeighsByInverseProbability() {
        // Two strata: 2 units drawn at π = 0.1 (one problem), 2 at π = 0.5 (both problems).
        // Total = 1/0.1 + 2/0.5 = 14; population = 20 + 4 = 24; rate = 14/24.
        let e = HorvitzThompson.estimate(outcomes: [true, false, true, true], probabilities: [0.1, 0.1, 0.5, 0.5])!
        #expect(abs(e.total - 14) < 1e-9)
        #expect(abs(e.population - 24) < 1e-9)
        #expect(abs(e.rate - 14.0 / 24) < 1e-12)
        // Var = Σ (1−π)/π² (y − r)²: 90·(10/24)² + 90·(14/24)² + 2·2·(10/24)².
        let r = 14.0 / 24
        let variance = 90 * (1 - r) * (1 - r) + 90 * r * r + 2 * 2 * (1 - r) * (1 - r)
        #expect(abs(e.standardError - variance.squareRoot() / 24) < 1e-12)
        #expect(HorvitzThompson.estimate(outcomes: [true], probabilities: [0]) == nil)
    }

    @Test func decilesSplitLikeNtile() {
        // 12 units, 10 groups: the first 2 groups get 2 units; highest score first, ties by key.
        let scores: [Double] = [5, 9, 9, 1, 0, 3, 7, 7, 7, 2, 4, 6]
        let keys = (0..<12).map { String(format: "k%02d", $0) }
        let d = Deciles.assign(scores: scores, keys: keys)
        // Order: k01 9, k02 9, k06 7, k07 7, k08 7, k11 6, k00 5, k10 4, k05 3, k09 2, k03 1, k04 0.
        #expect(d[1] == 1 && d[2] == 1 && d[6] == 2 && d[7] == 2 && d[8] == 3 && d[11] == 4)
        #expect(d[0] == 5 && d[10] == 6 && d[5] == 7 && d[9] == 8 && d[3] == 9 && d[4] == 10)
    }

    @Test func bootstrapIsDeterministicAndBracketsTheEstimate() {
        var random = SeededGenerator(seed: 7)
        let scores = (0..<300).map { _ in Double(random.index(1000)) / 1000 }
        let outcomes = scores.map { s in Double(random.index(1000)) / 1000 < s }
        let a = BootstrapInterval.of(scores: scores, outcomes: outcomes, statistic: RankAUC.auc(scores:outcomes:))
        let b = BootstrapInterval.of(scores: scores, outcomes: outcomes, statistic: RankAUC.auc(scores:outcomes:))
        #expect(a == b)
        #expect(a.lower < a.estimate && a.estimate < a.upper)
        #expect(a.estimate > 0.6)
    }
}
