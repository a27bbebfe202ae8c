import Foundation
import Sampling
import Testing

@Suite struct AllocationTests {
    @Test func largestRemainderMatchesTheRoundedTotal() {
        // Quotas 1.4, 2.6, 3.5 → floors 1, 2, 3 (6); total round(7.5) = 8: the two largest fractions get one more.
        let c = Allocation.largestRemainder(sizes: [100, 100, 100], ratios: [0.014, 0.026, 0.035])
        #expect(c == [1, 3, 4])
        #expect(c.reduce(0, +) == 8)
    }

    @Test func neverMoreThanTheStratumAndTiesGoToTheFirst() {
        #expect(Allocation.largestRemainder(sizes: [10, 10], ratios: [0.05, 0.05]) == [1, 0])
        #expect(Allocation.largestRemainder(sizes: [3], ratios: [1.0]) == [3])
        #expect(Allocation.largestRemainder(sizes: [5, 0], ratios: [0.5, 0.5]) == [3, 0])
    }

    @Test func minimumAndMaximumPerStratum() {
        #expect(Allocation.largestRemainder(sizes: [10, 2], ratios: [0.01, 0.01], minimum: 1) == [1, 1])
        #expect(Allocation.largestRemainder(sizes: [1000], ratios: [0.1], maximum: 20) == [20])
    }
}

@Suite struct DrawTests {
    static func population(_ n: Int, classOf: (Int) -> String = { ["A", "A", "A", "B", "C", "D"][$0 % 6] }) -> [Candidate] {
        (0..<n).map { Candidate(uscc: String(format: "91370102MA%08d", $0), name: "企业\($0)", region: "370102", city: "3701", riskClass: classOf($0)) }
    }

    static let task = SamplingTask(
        id: "T-1", nameZh: "测试", nameEn: "test", strata: ["class"], ratios: ["A": 0.014, "B": 0.03, "C": 0.1, "D": 0.1],
        minimumPerStratum: 0, maximumPerStratum: nil, sourceText: "")

    @Test func ticketMatchesAnIndependentSHA256() throws {
        let t = Ticket(seed: "2025-01-15", task: "T-1", uscc: "91350100M000100Y43")
        // printf '2025-01-15\x1fT-1\x1f91350100M000100Y43' | sha256sum
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "printf '2025-01-15\\037T-1\\03791350100M000100Y43' | sha256sum"]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(out.hasPrefix(t.hex))
    }

    @Test func sameSeedSameSampleAndOrderDoesNotMatter() {
        let pop = Self.population(3000)
        let a = Draw.run(task: Self.task, seed: "s", candidates: pop).selections.map(\.candidate.uscc)
        let b = Draw.run(task: Self.task, seed: "s", candidates: pop.reversed()).selections.map(\.candidate.uscc)
        let c = Draw.run(task: Self.task, seed: "s2", candidates: pop).selections.map(\.candidate.uscc)
        #expect(a == b)
        #expect(a != c)
    }

    @Test func strataSizesAreExact() {
        let r = Draw.run(task: Self.task, seed: "s", candidates: Self.population(6000))
        let sizes = r.strata.map { "\($0.key):\($0.size):\($0.drawn)" }
        #expect(sizes == ["A:3000:42", "B:1000:30", "C:1000:100", "D:1000:100"])
    }

    @Test func movingOneEnterpriseChangesNoOtherSelection() {
        let pop = Self.population(3000)
        let before = Set(Draw.run(task: Self.task, seed: "s", candidates: pop).selections.map(\.candidate.uscc))
        // Move one enterprise not drawn in C from C to D. D grows by one: its quota 50.1 stays 50.
        var moved = pop
        let idx = moved.firstIndex { $0.riskClass == "C" && !before.contains($0.uscc) }!
        moved[idx].riskClass = "D"
        let after = Set(Draw.run(task: Self.task, seed: "s", candidates: moved).selections.map(\.candidate.uscc))
        let changed = before.symmetricDifference(after).subtracting([moved[idx].uscc])
        // Only strata whose size changed can change at their margin; nobody else moves.
        #expect(changed.count <= 2, "changed: \(changed)")
    }

    @Test func inclusionFrequencyMatchesTheRatio() {
        // 200 seeds, stratum of 500 at 10%: each enterprise's inclusion count is Binomial(200, 0.1): mean 20, sd ≈ 4.2.
        let pop = Self.population(500) { _ in "C" }
        var hits = [String: Int]()
        for s in 0..<200 {
            for sel in Draw.run(task: Self.task, seed: "seed-\(s)", candidates: pop).selections { hits[sel.candidate.uscc, default: 0] += 1 }
        }
        let counts = pop.map { hits[$0.uscc] ?? 0 }
        #expect(counts.reduce(0, +) == 200 * 50)
        // Tolerance: no enterprise beyond 5.5 standard deviations (p < 1e-7 each, so a false alarm is negligible).
        #expect(counts.allSatisfy { abs($0 - 20) <= 23 })
        // The spread matches a binomial: variance within 30% of 18.
        let mean = Double(counts.reduce(0, +)) / Double(counts.count)
        let variance = counts.map { (Double($0) - mean) * (Double($0) - mean) }.reduce(0, +) / Double(counts.count)
        #expect(abs(variance - 18) / 18 < 0.3, "variance \(variance)")
    }
}
