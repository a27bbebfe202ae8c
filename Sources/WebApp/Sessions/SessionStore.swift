import Foundation
import Synchronization

/// The server's sessions, in memory: a restart signs everyone out, which is what an operator expects.
///
/// A session unused for `idleTimeout` ends; reading one refreshes it.
public final class SessionStore: Sendable {
    let sessions = Mutex<[String: Session]>([:])
    public let idleTimeout: TimeInterval
    let clock: @Sendable () -> Date

    public init(idleTimeout: TimeInterval = 30 * 60, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.idleTimeout = idleTimeout
        self.clock = clock
    }

    public func create(for user: User) -> Session {
        let s = Session(id: Session.randomToken(), user: user, csrfToken: Session.randomToken(), lastSeen: clock())
        sessions.withLock { $0[s.id] = s }
        return s
    }

    /// The live session of this id, refreshed; nil (and forgotten) when unknown or idle too long.
    public func session(_ id: String) -> Session? {
        let now = clock()
        return sessions.withLock { all in
            guard var s = all[id] else { return nil }
            guard now.timeIntervalSince(s.lastSeen) <= idleTimeout else {
                all[id] = nil
                return nil
            }
            s.lastSeen = now
            all[id] = s
            return s
        }
    }

    public func end(_ id: String) { _ = sessions.withLock { $0.removeValue(forKey: id) } }
}
