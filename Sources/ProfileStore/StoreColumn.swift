/// What a store column holds.
public enum StoreColumnKind: String, Codable, Sendable {
    case key, text, bool, number, date, category
}

/// A column of the store: a tag, a registration field, or part of the risk result.
public struct StoreColumn: Codable, Sendable {
    public var name: String
    public var kind: StoreColumnKind
    /// For categories: the column's dictionary (stored index → text), in order of first appearance.
    public var dictionary: [String]?
    /// Rows with a value (booleans: rows that are true).
    public var filled: Int
}
