import Foundation
import Sampling
import Testing

@Suite struct DrawPropertyTests {
    static let counties = ["370102", "370103", "370202", "370211", "370303", "370602", "370781", "371002"]

    /// Counties of very different sizes, classes in realistic shares (A 65%, B 20%, C 9%, D 6%).
    static func population(_ n: Int) -> [Candidate] {
        Fixtures.population(
            n, counties: counties,
            classOf: { i in
                let r = (i * 7919) % 100
                return r < 65 ? "A" : r < 85 ? "B" : r < 94 ? "C" : "D"
            },
            countyOf: { i in
                let r = (i * 104_729) % 36  // weights 8, 7, 6, 5, 4, 3, 2, 1
                var acc = 0
                for (k, w) in [8, 7, 6, 5, 4, 3, 2, 1].enumerated() {
                    acc += w
                    if r < acc { return k }
                }
                return 7
            })
    }

    static let task = Fixtures.task(strata: ["class", "county"])

    @Test func invariantToInputOrderThreadsAndShards() {
        let pop = Self.population(3000)
        let reference = Draw.run(task: Self.task, seed: "s", candidates: pop)
        var random = TestRandom(1)
        for (threads, shards) in [(1, 1), (4, 1), (1, 7), (4, 13), (2, 3000)] {
            let shuffled = random.shuffle(pop)
            let r = Draw.run(task: Self.task, seed: "s", candidates: shuffled, threads: threads, shards: shards)
            #expect(r.selections == reference.selections, "threads \(threads), shards \(shards)")
            #expect(r.strata == reference.strata)
        }
    }

    @Test func strataSizesAreExactPerClassAndStratum() {
        let pop = Self.population(5000)
        let r = Draw.run(task: Self.task, seed: "strata", candidates: pop)
        #expect(r.selections.count == r.totalByRatio)
        for s in r.strata {
            #expect(s.drawn == s.quota.whole || s.drawn == s.quota.whole + 1)
            #expect(r.selections.filter { $0.stratum == s.key }.count == s.drawn)
        }
        for c in r.classes {
            #expect(c.drawn == c.quota.whole || (c.drawn == c.quota.whole + 1 && c.quota.remainder > 0), "class \(c.riskClass)")
            #expect(c.size == pop.filter { $0.riskClass == c.riskClass }.count)
        }
        // Within a stratum the drawn are exactly the lowest tickets.
        for s in r.strata {
            let members = pop.filter { Draw.stratumKey($0, ["class", "county"]) == s.key }
                .map { Ticket(seed: "strata", task: "T-1", uscc: $0.uscc) }.sorted()
            let drawn = r.selections.filter { $0.stratum == s.key }.map(\.ticket)
            #expect(drawn == Array(members.prefix(s.drawn)))
        }
    }

    /// Moving one enterprise to another class never reshuffles: every other enterprise keeps its ticket and
    /// rank, a stratum whose size did not change draws exactly the same enterprises, and a stratum whose size
    /// changed by one gains or loses only the enterprise at its cut.
    @Test func movingOneEnterprisesClassMovesOnlyMarginalOthers() {
        let pop = Self.population(2400)
        var random = TestRandom(99)
        var otherChanges: [Int] = []
        for round in 0..<40 {
            let seed = "move-\(round)"
            let before = Draw.run(task: Self.task, seed: seed, candidates: pop)
            var moved = pop
            let i = random.int(0...(pop.count - 1))
            let newClass = random.pick(["A", "B", "C", "D"].filter { $0 != pop[i].riskClass })
            moved[i].riskClass = newClass
            let after = Draw.run(task: Self.task, seed: seed, candidates: moved)
            let x = pop[i].uscc
            let b = Dictionary(grouping: before.selections.filter { $0.candidate.uscc != x }, by: \.stratum)
            let a = Dictionary(grouping: after.selections.filter { $0.candidate.uscc != x }, by: \.stratum)
            var changed = 0
            for key in Set(b.keys).union(a.keys) {
                let sb = (b[key] ?? []).sorted { $0.rank < $1.rank }.map(\.candidate.uscc)
                let sa = (a[key] ?? []).sorted { $0.rank < $1.rank }.map(\.candidate.uscc)
                if sb == sa { continue }
                // Only the cut moves: one list is the other plus one enterprise at its end.
                let (short, long) = sb.count < sa.count ? (sb, sa) : (sa, sb)
                #expect(long.count == short.count + 1 && Array(long.prefix(short.count)) == short, "stratum \(key) reshuffled")
                changed += 1
            }
            otherChanges.append(changed)
        }
        // At most a handful of cuts move per change (the two strata and classes involved, and the one unit
        // of rounding that may pass between classes).
        #expect(otherChanges.allSatisfy { $0 <= 6 }, "\(otherChanges)")
    }

    @Test func whenNoStratumSizeChangesNothingElseMoves() {
        // Swapping the classes of two undrawn enterprises leaves every stratum's size, and so every quota and
        // every allocated size, as it was: then no other enterprise's selection may change at all.
        let pop = Fixtures.population(2000, classOf: { $0 < 1000 ? "C" : "D" })
        let task = Fixtures.task(strata: ["class"], ratios: ["C": 0.1, "D": 0.1])
        let before = Draw.run(task: task, seed: "fixed", candidates: pop)
        let drawn = Set(before.selections.map(\.candidate.uscc))
        // Move an undrawn C to D and an undrawn D to C: sizes and quotas are unchanged.
        var moved = pop
        let c = moved.firstIndex { $0.riskClass == "C" && !drawn.contains($0.uscc) }!
        let d = moved.firstIndex { $0.riskClass == "D" && !drawn.contains($0.uscc) }!
        moved[c].riskClass = "D"
        moved[d].riskClass = "C"
        let after = Draw.run(task: task, seed: "fixed", candidates: moved)
        let changed = drawn.symmetricDifference(after.selections.map(\.candidate.uscc)).subtracting([pop[c].uscc, pop[d].uscc])
        #expect(changed.isEmpty)
    }

    /// Over 300 fixed seeds, each enterprise is drawn about as often as its class's ratio says, in small
    /// strata (class × county, quotas well under 1) as in large ones.
    @Test func inclusionFrequencyMatchesTheRatioInEveryStratum() {
        let pop = Self.population(1200)
        let seeds = 300
        var hits = [String: Int]()
        var stratumHits = [String: Int]()
        var stratumOf = [String: String]()
        for s in 0..<seeds {
            for sel in Draw.run(task: Self.task, seed: "freq-\(s)", candidates: pop).selections {
                hits[sel.candidate.uscc, default: 0] += 1
                stratumHits[sel.stratum, default: 0] += 1
            }
        }
        var sizes = [String: Int]()
        for c in pop {
            let k = Draw.stratumKey(c, ["class", "county"])
            sizes[k, default: 0] += 1
            stratumOf[c.uscc] = k
        }
        let ratio = Self.task.ratios
        // Per stratum: mean size over seeds vs quota. A stratum's size varies by at most one unit per seed, so
        // the sd of its total over 300 seeds is at most √(300/4) ≈ 8.7; tolerance 5 sd plus 3% of the expectation
        // for the Pareto approximation and the total's rounding.
        for (key, size) in sizes {
            let expected = Double(seeds) * Double(size) * ratio[String(key.prefix(1))]!
            let got = Double(stratumHits[key] ?? 0)
            #expect(abs(got - expected) <= 5 * 8.7 + 0.03 * expected, "stratum \(key): expected \(expected), got \(got)")
            // No stratum in scope is exempt: even one with a quota of 0.05 is drawn over 300 seeds.
            #expect(got > 0, "stratum \(key) of \(size) was never drawn")
        }
        // Per enterprise, within a stratum the choice is uniform: counts spread like a binomial.
        var z2 = 0.0
        for c in pop {
            let k = stratumOf[c.uscc]!
            let p = Double(stratumHits[k] ?? 0) / Double(seeds) / Double(sizes[k]!)
            let e = Double(seeds) * p
            let x = Double(hits[c.uscc] ?? 0)
            if p > 0 && p < 1 { z2 += (x - e) * (x - e) / (e * (1 - p)) }
        }
        // Σ z² ≈ χ² with ~1200 degrees of freedom: mean 1200, sd ≈ 49. Tolerance: 6 sd.
        #expect(abs(z2 - 1200) < 6 * 49, "χ² \(z2)")
    }

    @Test func classicLargestRemainderCanExemptSmallStrata() {
        // Why keyed rounding is the default: with classic largest remainder the same small strata lose every time.
        let pop = Self.population(1200)
        let task = Fixtures.task(strata: ["class", "county"], rounding: .largestRemainder)
        var ever = Set<String>()
        for s in 0..<20 { ever.formUnion(Draw.run(task: task, seed: "lr-\(s)", candidates: pop).selections.map(\.stratum)) }
        let all = Set(pop.map { Draw.stratumKey($0, ["class", "county"]) })
        #expect(!all.subtracting(ever).isEmpty)
    }
}
