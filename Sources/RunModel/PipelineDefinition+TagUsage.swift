extension PipelineDefinition {
    /// The tags whose expressions use tag `id` directly, in catalog order.
    public func tags(using id: String) -> [String] {
        catalog.tags.filter { $0.dependencies.contains(id) }.map(\.id)
    }

    /// The scorecard entries that score tag `id`, in scorecard order; none for a tag not in the catalog.
    public func scorecardEntries(scoring id: String) -> [String] {
        guard let index = catalog.indexByID[id] else { return [] }
        return risk.entries.filter { $0.tagIndex == index }.map(\.id)
    }
}
