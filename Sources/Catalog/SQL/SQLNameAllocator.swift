/// Hands out column and relation names that are unique in DuckDB's sense.
///
/// DuckDB matches identifiers case-insensitively even when they are quoted, and every intermediate
/// relation of the generated query carries tag columns, registration fields and aggregate columns side by
/// side. Tag ids are claimed first, so they keep their own names; anything else that would collide with
/// one (a tag called `region`, a tag called `uscc`) gets a numbered suffix instead.
struct SQLNameAllocator {
    private var taken: Set<String> = []

    /// Returns `preferred`, or `preferred_2`, `preferred_3`, … if that name (ignoring case) is taken.
    mutating func claim(_ preferred: String) -> String {
        var name = preferred
        var n = 2
        while taken.contains(name.lowercased()) {
            name = "\(preferred)_\(n)"
            n += 1
        }
        taken.insert(name.lowercased())
        return name
    }
}
