import Foundation
import Sampling
import Testing

@Suite struct RatioTests {
    @Test func decimalsAndPercentagesAreExact() {
        #expect(Ratio(text: "0.014") == Ratio(numerator: 14, scale: 3))
        #expect(Ratio(text: "1.4%") == Ratio(numerator: 14, scale: 3))
        #expect(Ratio(text: "10%") == Ratio(text: "0.10"))
        #expect(Ratio(text: "100%") == .one)
        #expect(Ratio(text: "1") == .one)
        #expect(Ratio(text: ".5")?.description == "0.5")
        #expect(Ratio(0.014)?.description == "0.014")
        #expect(Ratio(text: "1.4%")?.percentText == "1.4%")
        #expect(Ratio(text: "0.1")?.percentText == "10%")
    }

    @Test func outOfRangeOrMalformedIsRejected() {
        for bad in ["1.5", "-0.1", "abc", "", "%", "0.1.2", "101%", "1e-3", "0.0000000001"] {
            #expect(Ratio(text: bad) == nil, "\(bad)")
        }
    }
}

@Suite struct ExactAllocationTests {
    @Test func quotasAreExactWithoutFloatingPoint() {
        // 3000 × 0.014 is 42.000000000000007 in binary floating point; exactly 42 here.
        let q = Allocation.quotas(sizes: [3000, 1000, 7], ratios: [Ratio(text: "0.014")!, Ratio(text: "3%")!, Ratio(text: "0.1")!])
        #expect(q.map(\.whole) == [42, 30, 0])
        #expect(q.map(\.remainder) == [0, 0, 700])
        #expect(Allocation.roundedTotal(q) == 73)
    }

    /// For random strata and classes: the total is the rounded sum of quotas, every class total is its quota
    /// rounded down or up, every stratum's size is its quota rounded down or up — for both rounding rules.
    @Test(arguments: [Rounding.keyed, .largestRemainder])
    func twoLevelRoundingBounds(rounding: Rounding) {
        var random = TestRandom(7)
        let ratios = [Ratio(text: "0.014")!, Ratio(text: "0.03")!, Ratio(text: "0.1")!, Ratio(text: "0.25")!]
        for _ in 0..<300 {
            let n = random.int(1...40)
            let sizes = (0..<n).map { _ in random.int(0...300) }
            let groups = (0..<n).map { _ in random.int(0...3) }
            let strataRatios = groups.map { ratios[$0] }
            let groupCount = (groups.max() ?? 0) + 1
            let lottery = (0..<n).map { _ in Double(random.next() >> 11) / Double(UInt64(1) << 53) }
            let groupLottery = (0..<groupCount).map { _ in Double(random.next() >> 11) / Double(UInt64(1) << 53) }
            let counts = Allocation.sizes(
                sizes: sizes, ratios: strataRatios, rounding: rounding, groups: groups, groupLottery: groupLottery, lottery: lottery)
            let quotas = Allocation.quotas(sizes: sizes, ratios: strataRatios)
            #expect(counts.reduce(0, +) == Allocation.roundedTotal(quotas))
            for (i, c) in counts.enumerated() {
                #expect(c == quotas[i].whole || (c == quotas[i].whole + 1 && quotas[i].remainder > 0))
                #expect(c <= sizes[i])
            }
            for g in 0..<groupCount {
                let members = (0..<n).filter { groups[$0] == g }
                let q = members.reduce(0.0) { $0 + quotas[$1].value }
                let total = members.reduce(0) { $0 + counts[$1] }
                #expect(Double(total) >= q.rounded(.down) - 1e-9 && Double(total) <= q.rounded(.up) + 1e-9)
            }
        }
    }

    @Test func keyedRoundingGivesEachStratumItsQuotaOnAverage() {
        // 20 strata with quotas 0.05 … 0.95 and 0.5 (sum exactly 10) in one class: classic largest remainder
        // always gives the 10 units to the same strata; the keyed lottery gives stratum i its unit with
        // probability ≈ its remainder.
        let sizes = (1...20).map { _ in 10 }
        let ratios = (1...19).map { Ratio(numerator: Int64($0 * 5), scale: 3) } + [Ratio(text: "0.05")!]
        var hits = [Int](repeating: 0, count: 20)
        let rounds = 2000
        for s in 0..<rounds {
            let lottery = (0..<20).map { Ticket(fields: ["seed-\(s)", "T", "stratum", "\($0)"]).uniform }
            let c = Allocation.sizes(sizes: sizes, ratios: ratios, rounding: .keyed, groupLottery: [0.5], lottery: lottery)
            for i in 0..<20 { hits[i] += c[i] }
        }
        let classic = Allocation.sizes(sizes: sizes, ratios: ratios, rounding: .largestRemainder)
        #expect(classic[0] == 0, "classic largest remainder never samples the smallest stratum")
        // Tolerance: each stratum's mean size within 0.05 of its quota (sd of a mean of 2000 draws ≤ 0.011),
        // plus the Pareto approximation's bias, which is well under 0.02 here.
        for i in 0..<20 {
            let quota = i < 19 ? Double(10 * (i + 1) * 5) / 1000 : 0.5
            let mean = Double(hits[i]) / Double(rounds)
            #expect(abs(mean - quota) < 0.05, "stratum \(i): quota \(quota), mean \(mean)")
        }
    }
}
