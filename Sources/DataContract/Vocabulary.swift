/// Every categorical value the pipeline can see, each with a small integer code.
///
/// Built once, before any data is read, from the schemas' enum values, the region and industry tables and
/// the tag catalog's labels. Fixed codes let columns of categories be `[Int32]` and comparisons be integer
/// compares; `-1` means empty. Codes follow insertion order, so they are the same on every run.
public struct Vocabulary: Sendable {
    public private(set) var strings: [String] = []
    private var codes: [String: Int32] = [:]
    /// For each code, its rank in byte order of the text (ties in `latest` break by the larger text).
    public private(set) var sortRank: [Int32] = []

    public init() {}

    @discardableResult
    public mutating func intern(_ s: String) -> Int32 {
        if let c = codes[s] { return c }
        let c = Int32(strings.count)
        strings.append(s)
        codes[s] = c
        return c
    }

    public func code(_ s: String) -> Int32? { codes[s] }

    public func text(_ code: Int32) -> String? { code >= 0 && Int(code) < strings.count ? strings[Int(code)] : nil }

    /// Call after the last `intern`: computes the byte-order ranks.
    public mutating func seal() {
        let order = strings.indices.sorted { Array(strings[$0].utf8).lexicographicallyPrecedes(Array(strings[$1].utf8)) }
        sortRank = [Int32](repeating: 0, count: strings.count)
        for (rank, index) in order.enumerated() { sortRank[index] = Int32(rank) }
    }
}
