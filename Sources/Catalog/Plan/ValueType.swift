/// The type of an expression's value.
///
/// Booleans are never empty; numbers, dates and categories may be (`null`). Categories carry the values
/// they can take, so a comparison with an unknown literal is caught before anything runs.
public enum ValueType: Equatable, Sendable, CustomStringConvertible {
    case bool, number, date
    case category(name: String, values: [String])

    public var isCategory: Bool { if case .category = self { true } else { false } }

    public var description: String {
        switch self {
        case .bool: return "boolean"
        case .number: return "number"
        case .date: return "date"
        case .category(let name, _): return "category (\(name))"
        }
    }
}
