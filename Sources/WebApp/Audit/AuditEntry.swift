import DigiTagIO
import Foundation

/// One line of the audit log: who did what to which enterprise or segment, how much came back, how it ended.
public struct AuditEntry: Sendable, Equatable {
    public var time: Date
    public var user: String
    public var role: String
    public var address: String
    /// What was done: `login`, `logout`, `profile`, `search`, `segment.count`, `segment.list`, `segment.export` …
    public var action: String
    /// The USCC or the expression concerned, or "".
    public var subject: String
    /// Rows or enterprises returned.
    public var size: Int
    /// `ok`, `refused`, `not_found`, `invalid`, `failed`, `locked`.
    public var outcome: String

    public init(time: Date, user: String, role: String, address: String, action: String, subject: String, size: Int, outcome: String) {
        self.time = time
        self.user = user
        self.role = role
        self.address = address
        self.action = action
        self.subject = subject
        self.size = size
        self.outcome = outcome
    }

    /// `2025-01-02T08:30:00Z`: seconds in UTC, so lines sort and compare as text.
    public static func timestamp(_ d: Date) -> String {
        var f = Date.ISO8601FormatStyle()
        f.timeZone = TimeZone(identifier: "UTC")!
        return d.formatted(f)
    }

    /// The line as written, without the newline: fixed key order, `prev` last (the SHA-256 of the line before).
    func line(previousHash: String) -> String {
        let s = TextTable.jsonString
        return "{\"time\": \(s(Self.timestamp(time))), \"user\": \(s(user)), \"role\": \(s(role)), \"address\": \(s(address)), "
            + "\"action\": \(s(action)), \"subject\": \(s(subject)), \"size\": \(size), \"outcome\": \(s(outcome)), \"prev\": \(s(previousHash))}"
    }

    /// An entry from a line of the log, with the `prev` it carries; nil when the line is not one.
    static func parse(_ line: Substring) -> (AuditEntry, prev: String)? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let time = (object["time"] as? String).flatMap({ try? Date($0, strategy: .iso8601) }),
            let user = object["user"] as? String, let role = object["role"] as? String, let address = object["address"] as? String,
            let action = object["action"] as? String, let subject = object["subject"] as? String, let size = object["size"] as? Int,
            let outcome = object["outcome"] as? String, let prev = object["prev"] as? String
        else { return nil }
        return (
            AuditEntry(time: time, user: user, role: role, address: address, action: action, subject: subject, size: size, outcome: outcome),
            prev
        )
    }
}
