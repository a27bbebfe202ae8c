import DigiTagBase
import DigiTagIO
import Foundation

/// Which entries `digitag audit show` prints: by user, by enterprise, from a day on.
public struct AuditFilter: Sendable {
    public var user: String?
    public var uscc: String?
    public var since: Day?

    public init(user: String? = nil, uscc: String? = nil, since: Day? = nil) {
        self.user = user
        self.uscc = uscc
        self.since = since
    }

    public func matches(_ e: AuditEntry) -> Bool {
        if let user, e.user != user { return false }
        if let uscc, e.subject != uscc { return false }
        if let since, AuditEntry.timestamp(e.time).prefix(10) < since.description { return false }
        return true
    }

    public func table(_ entries: [AuditEntry]) -> TextTable {
        TextTable(
            header: ["time", "user", "role", "address", "action", "subject", "size", "outcome"],
            rows: entries.filter(matches).map {
                [AuditEntry.timestamp($0.time), $0.user, $0.role, $0.address, $0.action, $0.subject, String($0.size), $0.outcome]
            }, numericColumns: [6])
    }
}
