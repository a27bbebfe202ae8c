import Foundation
import Sampling
import Testing

/// π_i = min(1, max(floor, c·w_i)) with Σπ = n: exact sums, proportionality, the floor, the cap, and no
/// dependence on order.
@Suite struct ProportionalProbabilitiesTests {
    static func probabilities(_ w: [Double], floor: Double, n: Double) -> ([Double], ProportionalProbabilities.Solution) {
        let s = ProportionalProbabilities.solve(weights: w, floor: floor, expected: n)
        return (w.map { ProportionalProbabilities.probability(weight: $0, scale: s.scale, floor: floor) }, s)
    }

    @Test func sumsToTheTargetProportionallyBetweenTheFloorAndOne() {
        var random = TestRandom(7)
        for round in 0..<200 {
            let k = random.int(1...400)
            let w = (0..<k).map { _ in random.chance(0.2) ? 0 : Double(random.int(1...1000)) / 10 }
            let floor = [0, 0.005, 0.01, 0.05][round % 4]
            let n = Double(random.int(0...(k * 100))) / 100
            let (p, s) = Self.probabilities(w, floor: floor, n: n)
            let reachable = w.reduce(0) { $0 + ($1 > 0 ? 1 : floor) }
            let target = min(max(n, floor * Double(k)), reachable)
            #expect(abs(p.reduce(0, +) - target) <= 1e-9 * max(1, target), "round \(round): Σπ \(p.reduce(0, +)), target \(target)")
            #expect(abs(s.expected - p.reduce(0, +)) <= 1e-9 * max(1, target))
            for (x, q) in zip(w, p) {
                #expect(q >= floor && q <= 1)
                if x == 0 { #expect(q == floor) }
            }
            // Units strictly between the floor and 1 all have the same π/w: the probability is proportional to the weight.
            let ratios = zip(w, p).filter { $0.1 > floor + 1e-12 && $0.1 < 1 - 1e-12 }.map { $0.1 / $0.0 }
            if let r = ratios.first { #expect(ratios.allSatisfy { abs($0 - r) <= 1e-12 * r }) }
            // A heavier unit is never less likely.
            let byWeight: [(Double, Double)] = zip(w, p).sorted { $0.0 < $1.0 }
            for i in byWeight.indices.dropFirst() { #expect(byWeight[i - 1].1 <= byWeight[i].1) }
        }
    }

    @Test func independentOfTheOrderOfTheWeightsToTheLastBit() {
        var random = TestRandom(11)
        let w = (0..<5000).map { _ in Double(random.int(0...100_000)) / 7 }
        let a = ProportionalProbabilities.solve(weights: w, floor: 0.01, expected: 321.5)
        let b = ProportionalProbabilities.solve(weights: random.shuffle(w), floor: 0.01, expected: 321.5)
        #expect(a.scale.bitPattern == b.scale.bitPattern)
        #expect(a.expected.bitPattern == b.expected.bitPattern)
    }

    @Test func edgeCases() {
        // Nothing to draw from.
        let empty = ProportionalProbabilities.solve(weights: [], floor: 0.1, expected: 3)
        #expect(empty.scale == 0 && empty.expected == 0)
        // All weights 0: the floor for everyone.
        let zero = Self.probabilities([0, 0, 0, 0], floor: 0.02, n: 1)
        #expect(zero.0 == [0.02, 0.02, 0.02, 0.02])
        // The floor alone asks for more than n: the floor wins.
        let floorWins = Self.probabilities([1, 2, 3], floor: 0.5, n: 1)
        #expect(floorWins.0 == [0.5, 0.5, 0.5] && floorWins.1.expected == 1.5)
        // More than certainty for every positive weight can give: those get 1, zeros get the floor.
        let capped = Self.probabilities([5, 1, 0], floor: 0.1, n: 2.9)
        #expect(capped.0 == [1, 1, 0.1])
        // One heavy unit is taken with certainty and the others share the rest in proportion.
        let heavy = Self.probabilities([100, 1, 1, 2], floor: 0, n: 2)
        #expect(heavy.0[0] == 1)
        #expect(abs(heavy.0[1] - 0.25) < 1e-12 && abs(heavy.0[3] - 0.5) < 1e-12)
        // n = size: everyone with a positive weight.
        #expect(Self.probabilities([3, 1, 2], floor: 0, n: 3).0 == [1, 1, 1])
        // Equal weights: everyone gets n/k.
        #expect(Self.probabilities([2, 2, 2, 2, 2], floor: 0.01, n: 1).0.allSatisfy { abs($0 - 0.2) < 1e-15 })
    }
}
