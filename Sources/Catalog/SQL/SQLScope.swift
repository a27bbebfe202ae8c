/// What the names of a plan refer to at one place in the generated query.
///
/// Tags and the registration are read per enterprise, in the layers after the aggregates are joined;
/// record fields only inside one source's `GROUP BY`, where a `where` filter is evaluated.
struct SQLScope {
    /// Fields of the records being filtered (inside a source's grouping), by field index.
    var recordColumns: [Int: SQLTerm] = [:]
    /// Registration fields, by field index.
    var entityColumns: [Int: SQLTerm] = [:]
    /// Tags already computed in an earlier layer, by catalog index.
    var tagColumns: [Int: SQLTerm] = [:]
    /// Aggregates joined onto the registration.
    var aggregateColumns: [AggregatePlan: SQLTerm] = [:]
    /// `city(reg.region)`-like mappings of registration fields, computed once by a join.
    var mappedColumns: [PlanNode: SQLTerm] = [:]
    /// The column linking an enterprise to its peers for `peers_count` (the legal representative's id).
    var peerKey: String?

    static func records(_ columns: [Int: SQLTerm]) -> SQLScope { SQLScope(recordColumns: columns) }
}
