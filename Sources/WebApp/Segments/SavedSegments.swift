import DigiTagBase
import Foundation
import Synchronization

/// Segments users saved by name, per user, in one JSON file beside the audit log.
///
/// Only the name and the expression are kept, never a result: a saved segment is evaluated afresh every time
/// it runs, through the access policy of the user's role *then* and the catalog of the run *then*, so a role
/// change or a tag made confidential since it was saved cannot leak through it.
public final class SavedSegments: Sendable {
    public struct Entry: Codable, Sendable, Equatable {
        public var name: String
        public var expression: String
        /// When it was saved (ISO 8601, UTC).
        public var saved: String
    }

    public let path: String
    let byUser = Mutex<[String: [Entry]]>([:])

    /// Names are for people: 1 to 60 characters, no control characters.
    static let maxNameLength = 60
    static let maxPerUser = 100

    public init(path: String, entries: [String: [Entry]] = [:]) {
        self.path = path
        byUser.withLock { $0 = entries }
    }

    /// Opens the file (an absent file is an empty list); a file that is not this JSON is a configuration error.
    public static func open(_ path: String) throws -> SavedSegments {
        guard FileSystem.exists(path) else { return SavedSegments(path: path) }
        guard let data = FileManager.default.contents(atPath: path),
            let read = try? JSONDecoder().decode([String: [Entry]].self, from: data)
        else {
            throw ServeError(
                .configuration, "the saved segments file \(path) is not a saved segments file (JSON: user → list of name, expression, saved)",
                advice: "move it away; the server starts a new one")
        }
        return SavedSegments(path: path, entries: read)
    }

    public func list(user: String) -> [Entry] { byUser.withLock { $0[user] ?? [] } }

    public func entry(user: String, name: String) -> Entry? { list(user: user).first { $0.name == name } }

    /// Why a name cannot be used, or nil.
    static func problem(name: String) -> String? {
        if name.isEmpty { return "a saved segment needs a name" }
        if name.count > maxNameLength { return "a saved segment's name has at most \(maxNameLength) characters" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }) {
            return "a saved segment's name cannot hold control characters"
        }
        return nil
    }

    /// Saves (or replaces) `name` for `user`; returns a problem for the user, or nil when saved.
    public func save(user: String, name: String, expression: String, at time: Date) throws -> String? {
        if let p = Self.problem(name: name) { return p }
        let stamp = ISO8601DateFormatter().string(from: time)
        return try update { all in
            var mine = all[user] ?? []
            if let k = mine.firstIndex(where: { $0.name == name }) {
                mine[k] = Entry(name: name, expression: expression, saved: stamp)
            } else {
                guard mine.count < Self.maxPerUser else { return "at most \(Self.maxPerUser) saved segments per user: delete one first" }
                mine.append(Entry(name: name, expression: expression, saved: stamp))
            }
            all[user] = mine
            return nil
        }
    }

    /// Deletes `name` of `user`; false when there was none.
    public func delete(user: String, name: String) throws -> Bool {
        try update { all in
            guard let k = all[user]?.firstIndex(where: { $0.name == name }) else { return false }
            all[user]!.remove(at: k)
            if all[user]!.isEmpty { all[user] = nil }
            return true
        }
    }

    /// Changes the list and writes the file before the change is visible (under the lock: one writer).
    private func update<R: Sendable>(_ change: (inout [String: [Entry]]) -> R) throws -> R {
        try byUser.withLock { all in
            var next = all
            let result = change(&next)
            let e = JSONEncoder()
            e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try FileSystem.writeAtomically(try e.encode(next), to: path)
            all = next
            return result
        }
    }
}
