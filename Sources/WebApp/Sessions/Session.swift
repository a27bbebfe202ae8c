import Foundation

/// A signed-in user's session: the cookie's random id, the CSRF token its forms carry, when it was last used.
public struct Session: Sendable {
    public let id: String
    public let user: User
    /// Put in every form that changes something and checked on submit: another site's page cannot read it.
    public let csrfToken: String
    public var lastSeen: Date

    /// 32 random bytes in hex: unguessable, and safe in a cookie or a form field.
    static func randomToken() -> String {
        var g = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &g)) }.joined()
    }
}
