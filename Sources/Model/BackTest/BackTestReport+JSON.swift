import Foundation

extension BackTestReport {
    /// The report for tools: snake_case keys, undefined values (a rate of no inspections) as "NaN".
    public func json() throws -> String {
        try ModelJSON.encode(self)
    }
}
