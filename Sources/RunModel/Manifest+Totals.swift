extension Manifest {
    /// Rows rejected over every source.
    public var rowsRejected: Int { sources.reduce(0) { $0 + $1.rowsRejected } }

    /// Enterprises per risk class by class code, as a run's summary and `digitag runs` show them: `A 1204, B 254, …`.
    public var classCountsText: String {
        classCounts.keys.sorted().map { "\($0) \(classCounts[$0]!)" }.joined(separator: ", ")
    }
}
