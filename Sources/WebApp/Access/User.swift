/// A person who may sign in: name, bcrypt hash of the password, role and region.
public struct User: Sendable, Hashable {
    public let name: String
    /// bcrypt (`$2b$…`): the cost is inside the hash, so old and new hashes verify alike.
    public let passwordHash: String
    public let role: Role
    public let region: RegionScope

    public init(name: String, passwordHash: String, role: Role, region: RegionScope) {
        self.name = name
        self.passwordHash = passwordHash
        self.role = role
        self.region = region
    }

    /// User names are what a person types and what the audit log shows: letters, digits, `.`, `_`, `-`.
    public static func isValidName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.count <= 64
            && s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }
}
