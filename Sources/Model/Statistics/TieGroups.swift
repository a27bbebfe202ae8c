/// Runs of equal scores in a sorted order: the statistics that walk a score's distribution (AUC's ranks, the
/// ROC curve, KS) must move a tie as one step, or the order of equal scores would change their result.
enum TieGroups {
    /// Calls `body` with each run `i...j` of `order` (indices into `scores`, sorted by score) whose scores are equal.
    static func forEach(_ order: [Int], scores: [Double], _ body: (ClosedRange<Int>) -> Void) {
        var i = 0
        while i < order.count {
            var j = i
            while j + 1 < order.count && scores[order[j + 1]] == scores[order[i]] { j += 1 }
            body(i...j)
            i = j + 1
        }
    }
}
