import DigiTagBase
import Foundation
import HummingbirdBcrypt

/// The users file: who may sign in, with which role and region.
///
/// ```yaml
/// users:
///   - {user: wang.li, hash: "$2b$12$…", role: city_analyst, region: "3701"}
/// ```
/// Every problem is reported with its line, all at once, like the pipeline files (exit 2).
public struct UserDirectory: Sendable {
    public let path: String
    public private(set) var users: [User]

    public init(path: String, users: [User]) {
        self.path = path
        self.users = users
    }

    public func user(_ name: String) -> User? { users.first { $0.name == name } }

    /// Reads and checks a users file; a missing file is a configuration error naming it.
    public static func load(_ path: String) throws -> UserDirectory {
        guard FileSystem.exists(path) else {
            throw ServeError(
                .configuration, "no users file at \(path)",
                advice: "create one with 'digitag users add NAME --role ROLE --region CODE --users \(path)'")
        }
        let root = try YAMLNode.parse(try FileSystem.readText(path), file: path)
        var problems: [Diagnostic] = []
        var users: [User] = []
        guard let list = root["users"], list.isSequence else {
            throw DiagnosticsError([Diagnostic(root.location, "a users file is a mapping with a 'users:' list")])
        }
        for item in list.items {
            var r = YAMLFieldReader(item, what: "user")
            let name = r.string("user", required: true)
            let hash = r.string("hash", required: true)
            let roleName = r.string("role", required: true)
            let regionCode = r.string("region", required: true)
            problems += r.finish()
            guard let name, let hash, let roleName, let regionCode else { continue }
            guard User.isValidName(name) else {
                problems.append(Diagnostic(item.location, "'\(name)' is not a valid user name (letters, digits, '.', '_', '-')"))
                continue
            }
            guard hash.hasPrefix("$2") else {
                problems.append(Diagnostic(item["hash"]?.location ?? item.location, "the hash of '\(name)' is not a bcrypt hash ($2b$…)"))
                continue
            }
            guard let role = Role.named(roleName) else {
                problems.append(
                    Diagnostic(
                        item["role"]?.location ?? item.location, "unknown role '\(roleName)'",
                        hint: "one of " + Role.shipped.map(\.id).joined(separator: ", ")))
                continue
            }
            switch Self.check(region: regionCode, for: role) {
            case .failure(let e):
                problems.append(Diagnostic(item["region"]?.location ?? item.location, e.message))
                continue
            case .success(let scope):
                if users.contains(where: { $0.name == name }) {
                    problems.append(Diagnostic(item.location, "user '\(name)' is listed twice"))
                    continue
                }
                users.append(User(name: name, passwordHash: hash, role: role, region: scope))
            }
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return UserDirectory(path: path, users: users)
    }

    /// A region code checked against the role's level: a city analyst answers for a city (`37xx`).
    public static func check(region: String, for role: Role) -> Result<RegionScope, ServeError> {
        guard let scope = RegionScope(region), scope.code.hasPrefix("37") else {
            return .failure(ServeError(.configuration, "'\(region)' is not a region code of the province (37, 37xx or 37xxxx)"))
        }
        guard scope.level == role.level else {
            return .failure(
                ServeError(
                    .configuration,
                    "a \(role.nameEn) answers for a \(role.level.rawValue) (\(role.level.digits) digits), '\(region)' is a \(scope.level.rawValue)"))
        }
        return .success(scope)
    }

    /// Adds a user (or replaces one of the same name) and writes the file atomically.
    public mutating func set(_ user: User) throws {
        if let i = users.firstIndex(where: { $0.name == user.name }) { users[i] = user } else { users.append(user) }
        try save()
    }

    func save() throws {
        var text = "# digitag users: who may sign in to 'digitag serve' (docs/serving.md). Written by 'digitag users add'.\n"
        text += "users:\n"
        for u in users {
            text += "  - {user: \(u.name), hash: \"\(u.passwordHash)\", role: \(u.role.id), region: \"\(u.region.code)\"}\n"
        }
        try FileSystem.writeAtomically(Data(text.utf8), to: path)
    }

    /// A bcrypt hash of a new password. The cost is 12 in use; tests pass a lower one.
    public static func hash(password: String, cost: UInt8 = 12) -> String { Bcrypt.hash(password, cost: cost) }

    /// The user whose password this is, or nil. An unknown name costs one bcrypt check too, so the time
    /// taken does not tell whether the name exists.
    public func authenticate(_ name: String, password: String) -> User? {
        guard let u = user(name) else {
            if let any = users.first { _ = Bcrypt.verify(password + "\u{0}", hash: any.passwordHash) }
            return nil
        }
        return Bcrypt.verify(password, hash: u.passwordHash) ? u : nil
    }
}
