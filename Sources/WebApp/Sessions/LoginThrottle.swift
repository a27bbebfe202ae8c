import Foundation
import Synchronization

/// Locks sign-in after repeated failures, per account and per address, for a while.
///
/// Unknown names are counted like real ones, so a lock-out does not tell whether a name exists; a lock
/// ends by itself after `lockDuration` and a success clears the account's count.
public final class LoginThrottle: Sendable {
    struct Failures {
        var count = 0
        var lockedUntil: Date?
    }

    public let maxFailures: Int
    public let lockDuration: TimeInterval
    let clock: @Sendable () -> Date
    let state = Mutex<(accounts: [String: Failures], addresses: [String: Failures])>(([:], [:]))

    public init(maxFailures: Int = 5, lockDuration: TimeInterval = 15 * 60, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.maxFailures = maxFailures
        self.lockDuration = lockDuration
        self.clock = clock
    }

    /// True while the account or the address is locked.
    public func isLocked(account: String, address: String) -> Bool {
        let now = clock()
        return state.withLock { s in
            [s.accounts[account], s.addresses[address]].contains { f in f?.lockedUntil.map { $0 > now } ?? false }
        }
    }

    public func recordFailure(account: String, address: String) {
        let now = clock()
        state.withLock { s in
            func bump(_ f: inout Failures) {
                if let until = f.lockedUntil, until <= now { f = Failures() }
                f.count += 1
                if f.count >= maxFailures { f.lockedUntil = now.addingTimeInterval(lockDuration) }
            }
            bump(&s.accounts[account, default: Failures()])
            // An address gets more tries than an account: several people may sit behind one office NAT.
            var a = s.addresses[address, default: Failures()]
            if let until = a.lockedUntil, until <= now { a = Failures() }
            a.count += 1
            if a.count >= maxFailures * 4 { a.lockedUntil = now.addingTimeInterval(lockDuration) }
            s.addresses[address] = a
        }
    }

    public func recordSuccess(account: String) { _ = state.withLock { $0.accounts.removeValue(forKey: account) } }
}
