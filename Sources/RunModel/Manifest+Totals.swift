extension Manifest {
    /// Rows rejected over every source.
    public var rowsRejected: Int { sources.reduce(0) { $0 + $1.rowsRejected } }

    /// Enterprises per risk class by class code, as a run's summary and `digitag runs` show them: `A 1204, B 254, …`.
    public var classCountsText: String {
        classCounts.keys.sorted().map { "\($0) \(classCounts[$0]!)" }.joined(separator: ", ")
    }
}

extension Manifest {
    /// Gates that failed and were accepted on the record (`--accept-gate`).
    public var acceptedGates: [QualityGates.Result] { (gates ?? []).filter { $0.accepted != nil } }
    /// Gates that failed and were not accepted: in a published run none; in `.failed-<as-of>/` why it stopped.
    public var refusedGates: [QualityGates.Result] { (gates ?? []).filter(\.refuses) }
}
