import Model
import Testing

/// Cut-offs on a lumpy score against hand-worked shares.
@Suite struct ClassCutoffsTests {
    /// 100 enterprises: 60 score 0, 10 score 5, 20 score 17, 7 score 30, 3 score 80. The share at or above a
    /// whole cut-off s is 0.40 for s in 1…5, 0.30 for 6…17, 0.10 for 18…30, 0.03 for 31…80, 0 above.
    static let lumpy: [Double] = Array(repeating: 0, count: 60) + Array(repeating: 5, count: 10) + Array(repeating: 17, count: 20)
        + Array(repeating: 30, count: 7) + Array(repeating: 80, count: 3)

    @Test func eachCutoffTakesTheNearestShare() {
        // B or higher should be 36%: 0.40 (cut-off 1…5) is 0.04 away, 0.30 (6…17) 0.06 → 5, the higher of the
        // equally near ones. "The smallest cut-off not exceeding the share" would give 6, and B would hold 10%
        // instead of 36% − 8.4% = 27.6%.
        // C or higher 8.4%: 0.10 (18…30) is 0.016 away, 0.03 is 0.054 → 30.
        // D 1.8%: 0.03 (31…80) is 0.012 away, 0 (81) is 0.018 → 80.
        let cutoffs = ClassCutoffs.closest(scores: Self.lumpy, atLeastShares: [0.36, 0.084, 0.018])
        #expect(cutoffs == [0, 5, 30, 80])
        let shares = (0..<4).map { k in
            Double(Self.lumpy.filter { $0 >= cutoffs[k] && (k == 3 || $0 < cutoffs[k + 1]) }.count) / 100
        }
        #expect(shares == [0.6, 0.3, 0.07, 0.03])
    }

    @Test func cutoffsRiseEvenWhenTheScoreCannotSeparate() {
        // Every score 0: no cut-off above 0 can put anyone in B; the cut-offs still rise one by one.
        #expect(ClassCutoffs.closest(scores: [0, 0, 0, 0], atLeastShares: [0.3, 0.1, 0.02]) == [0, 1, 2, 3])
        // Fractional scores: the cut-off is a whole number; at or above 2 are 2.5 and 4, half of them (at or above
        // 1 three quarters, at or above 3 one quarter).
        #expect(ClassCutoffs.closest(scores: [0, 1.5, 2.5, 4], atLeastShares: [0.5]) == [0, 2])
    }
}
