import Foundation
import Sampling
import Testing

/// The ledger's inclusion probabilities are what happens: over many seeds, each enterprise is drawn about as
/// often as its probability says, for weighted (Poisson) groups and fixed-size groups alike.
@Suite struct WeightedInclusionTests {
    /// 240 enterprises: 40 in a 100% group, 120 in a weighted group (weights 0 to 30, a quarter of them 0), 80 in
    /// the rest at per-class ratios.
    static func setup() -> (SamplingTask, [Candidate]) {
        var task = Fixtures.task(strata: ["class"])
        task.floor = Ratio(text: "2%")!
        task.groups = [
            SamplingGroup(id: "all", rule: Fixtures.clause("x"), ratios: .uniform(.one), strata: []),
            SamplingGroup(
                id: "weighted", rule: Fixtures.clause("y"), ratios: .uniform(Ratio(text: "15%")!), strata: ["class"],
                weight: Fixtures.clause("w")),
            SamplingGroup(id: "rest", ratios: .perClass(["A": Ratio(text: "5%")!, "B": Ratio(text: "20%")!]), strata: ["class"]),
        ]
        var random = TestRandom(2024)
        let candidates = Fixtures.population(240, counties: ["370102", "370203"]).enumerated().map { i, c in
            var c = c
            c.riskClass = i % 3 == 0 ? "B" : "A"
            c.group = i < 40 ? 0 : i < 160 ? 1 : 2
            c.weight = c.group == 1 ? (random.chance(0.25) ? 0 : Double(random.int(1...30))) : 1
            return c
        }
        return (task, candidates)
    }

    @Test func inclusionFrequenciesMatchTheLedgerOverManySeeds() {
        let (task, candidates) = Self.setup()
        let seeds = 3000
        var hits = [Int](repeating: 0, count: candidates.count)
        var ledger: [Double]?
        var sizes: [Int] = []
        for s in 0..<seeds {
            let r = Draw.run(task: task, seed: "weighted-\(s)", candidates: candidates)
            let p = r.ledger.map(\.probability)
            // The probabilities depend on the weights and ratios only, never on the seed.
            if let ledger { #expect(ledger == p) } else { ledger = p }
            for e in r.ledger where e.drawn { hits[e.index] += 1 }
            sizes.append(r.groups.first { $0.group == 1 }!.drawn)
        }
        let p = ledger!
        // Per enterprise: hits ~ Binomial(seeds, π). Tolerance 4.5 sd (+1 for the discreteness): with 240
        // enterprises a false alarm has a probability near 240 × 7e-6 ≈ 0.2%, and the seeds are fixed, so the
        // outcome is reproducible.
        var z2 = 0.0
        var free = 0
        for i in candidates.indices {
            let e = Double(seeds) * p[i]
            let sd = (Double(seeds) * p[i] * (1 - p[i])).squareRoot()
            #expect(abs(Double(hits[i]) - e) <= 4.5 * sd + 1, "\(candidates[i].uscc) (group \(candidates[i].group), weight \(candidates[i].weight)): π \(p[i]), expected \(e) hits, got \(hits[i])")
            if p[i] > 0 && p[i] < 1 {
                z2 += (Double(hits[i]) - e) * (Double(hits[i]) - e) / (sd * sd)
                free += 1
            }
        }
        // Σ z² over the enterprises with 0 < π < 1 ≈ χ² with that many degrees of freedom: mean k, sd √(2k). 5 sd.
        #expect(abs(z2 - Double(free)) < 5 * (2 * Double(free)).squareRoot(), "χ² \(z2) for \(free) enterprises")
        // The certain group is always drawn in full; weight-0 enterprises still come up at about the floor.
        for i in 0..<40 { #expect(hits[i] == seeds) }
        let zeros = (40..<160).filter { candidates[$0].weight == 0 }
        #expect(!zeros.isEmpty && zeros.allSatisfy { p[$0] == 0.02 })
        // The weighted group's mean size is its expected size (15% of 120 = 18).
        let mean = Double(sizes.reduce(0, +)) / Double(seeds)
        #expect(abs(mean - 18) < 0.25, "mean weighted sample size \(mean)")
    }

    @Test func ledgerSumsAreTheExpectedSampleSizes() {
        let (task, candidates) = Self.setup()
        let r = Draw.run(task: task, seed: "sums", candidates: candidates)
        // Group by group: Σπ = the group's expected size, and for fixed-size groups = the sum of the exact quotas.
        for g in r.groups {
            let sum = r.ledger.filter { $0.group == g.group }.reduce(0) { $0 + $1.probability }
            #expect(abs(sum - g.expected) < 1e-9)
        }
        #expect(abs(r.groups[0].expected - 40) < 1e-12 && r.groups[0].drawn == 40)
        #expect(abs(r.groups[1].expected - 18) < 1e-9)
        // Rest: 80 enterprises, 27 of class B (i % 3 == 0 among 160…239) at 20%, 53 of class A at 5%.
        let restB = candidates.filter { $0.group == 2 && $0.riskClass == "B" }.count
        let restA = 80 - restB
        #expect(abs(r.groups[2].expected - (0.2 * Double(restB) + 0.05 * Double(restA))) < 1e-9)
        #expect(r.groups[2].drawn == Int((0.2 * Double(restB) + 0.05 * Double(restA)).rounded()))
        // Every candidate is in the ledger once, in exactly one group, and drawn iff selected.
        #expect(r.ledger.map(\.index) == Array(candidates.indices))
        #expect(r.ledger.allSatisfy { $0.group == candidates[$0.index].group })
        let drawn = Set(r.selections.map(\.candidate.uscc))
        #expect(r.ledger.allSatisfy { $0.drawn == drawn.contains(candidates[$0.index].uscc) })
        #expect(r.selections.allSatisfy { s in s.probability == r.ledger.first { candidates[$0.index].uscc == s.candidate.uscc }!.probability })
    }

    @Test func weightedDrawIsIndependentOfOrderThreadsAndShards() {
        let (task, candidates) = Self.setup()
        let a = Draw.run(task: task, seed: "order", candidates: candidates)
        var random = TestRandom(5)
        let shuffled = random.shuffle(candidates)
        let b = Draw.run(task: task, seed: "order", candidates: shuffled, threads: 4, shards: 7)
        #expect(a.selections.map(\.candidate.uscc) == b.selections.map(\.candidate.uscc))
        #expect(a.selections.map(\.probability) == b.selections.map(\.probability))
        let pa = Dictionary(uniqueKeysWithValues: a.ledger.map { (candidates[$0.index].uscc, $0.probability.bitPattern) })
        let pb = Dictionary(uniqueKeysWithValues: b.ledger.map { (shuffled[$0.index].uscc, $0.probability.bitPattern) })
        #expect(pa == pb)
        #expect(a.strata.map(\.key) == b.strata.map(\.key) && a.strata.map(\.drawn) == b.strata.map(\.drawn))
    }

    @Test func strataKeysStartWithTheGroupAndGroupsAreExclusive() {
        let (task, candidates) = Self.setup()
        let r = Draw.run(task: task, seed: "keys", candidates: candidates)
        #expect(r.strata.map(\.key) == ["all", "weighted/A", "weighted/B", "rest/A", "rest/B"])
        #expect(r.classes.map(\.key) == ["all", "rest/A", "rest/B"], "weighted groups have no rounding units")
        for s in r.selections {
            let g = task.groups[s.candidate.group]
            #expect(s.stratum == g.id || s.stratum.hasPrefix(g.id + "/"))
        }
        #expect(r.groups.reduce(0) { $0 + $1.size } == candidates.count)
    }
}
