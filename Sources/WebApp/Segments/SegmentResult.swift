/// A segment as the user may see it: counts by city, county and class, and one page of the list, all
/// inside the user's region.
public struct SegmentResult: Sendable {
    public struct Count: Sendable, Equatable {
        public let key: String
        public let name: String
        public let count: Int
    }

    public struct Row: Sendable {
        public let uscc: String
        public let name: String
        public let region: String
        public let regionName: String
        public let riskClass: String
        public let score: String
    }

    public let expression: String
    public let run: String
    public let asOf: String
    /// Matching enterprises in the user's region.
    public let total: Int
    /// Enterprises of the run in the user's region (the denominator).
    public let enterprisesInScope: Int
    public let byCity: [Count]
    public let byCounty: [Count]
    /// Empty when the role does not see classes.
    public let byClass: [Count]
    public let page: Int
    public let pageSize: Int
    public let rows: [Row]

    public var pageCount: Int { max(1, (total + pageSize - 1) / pageSize) }
}
