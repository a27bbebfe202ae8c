/// A column of values for every enterprise of a shard (or every record, inside a `where`).
///
/// Numbers, booleans (0/1) and dates (days) are `Double` with NaN for empty; categories are vocabulary
/// codes with -1 for empty.
public enum Column: Sendable, Equatable {
    case numbers([Double])
    case codes([Int32])

    public var count: Int {
        switch self {
        case .numbers(let v): return v.count
        case .codes(let v): return v.count
        }
    }

    public var numbers: [Double] {
        if case .numbers(let v) = self { return v }
        preconditionFailure("expected a numeric column")
    }

    public var codes: [Int32] {
        if case .codes(let v) = self { return v }
        preconditionFailure("expected a categorical column")
    }

    public static func == (a: Column, b: Column) -> Bool {
        switch (a, b) {
        case (.numbers(let x), .numbers(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }
        case (.codes(let x), .codes(let y)): return x == y
        default: return false
        }
    }
}
