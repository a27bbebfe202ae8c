import Catalog
import DigiTagIO
import Query

/// The one place that decides what a signed-in user sees: every page and every API call goes through it.
///
/// - permissions: `require(_:)` before any work;
/// - tag sensitivity: tags above the role's clearance (their own or through the tags they read) are absent
///   from profiles and exports and refused in expressions;
/// - personal information: the legal representative's name and ID number are masked without permission;
/// - region: an enterprise outside the user's region is "not found", and counts and lists cover only the region.
public struct AccessPolicy: Sendable {
    public let user: User
    public let clearance: TagClearance

    /// Registration fields that identify a person (PIPL): shown only with `personal_info`.
    public static let personalFields: Set<String> = ["legal_rep", "legal_rep_id"]
    /// Names of an expression that are not tags: the class, score and reasons are internal references, never
    /// published (DOMAIN.md), the region and city are public.
    static let builtInNames: [String: Sensitivity] = [
        "class": .internal, "score": .internal, "reasons": .internal, "reasons_zh": .internal, "region": .public, "city": .public,
        "uscc": .public, "name": .public,
    ]
    public static let masked = "＊＊＊ (masked 已隐藏)"

    public init(user: User, clearance: TagClearance) {
        self.user = user
        self.clearance = clearance
    }

    public var role: Role { user.role }

    public func require(_ p: Permission) throws(AccessRefusal) {
        guard role.permits(p) else {
            throw AccessRefusal("your role (\(role.nameZh) \(role.nameEn)) may not \(p.rawValue.replacingOccurrences(of: "_", with: " "))")
        }
    }

    // MARK: tags

    /// Why a tag is refused, or nil when the role sees it.
    public func refusal(tag id: String) -> String? {
        guard let level = clearance.tags[id] ?? Self.builtInNames[id].map({ TagClearance.Level(sensitivity: $0, because: id) }) else { return nil }
        guard level.sensitivity.rank > role.clearance.rank else { return nil }
        let why = level.because == id ? "" : " reads \(level.because), which"
        return "\(id)\(why) is \(level.sensitivity.rawValue); your role sees up to \(role.clearance.rawValue)"
    }

    /// As `refusal(tag:) == nil`, without writing the refusal (a profile asks it of every tag).
    public func sees(tag id: String) -> Bool {
        guard let level = clearance.tags[id]?.sensitivity ?? Self.builtInNames[id] else { return true }
        return level.rank <= role.clearance.rank
    }

    /// Refuses an expression (a segment, a `by` key or a list column) that reads a tag above the role's
    /// clearance or a personal field without permission. Syntax errors are left to the query compiler, which
    /// says them with a caret.
    public func check(expression text: String) throws(AccessRefusal) {
        guard let expr = try? Parser.parse(text) else { return }
        for (name, _) in Self.names(in: expr) {
            if name.hasPrefix("reg.") {
                if Self.personalFields.contains(String(name.dropFirst(4))) && !role.permits(.personalInfo) {
                    throw AccessRefusal("\(name) is personal information; your role may not see it")
                }
                continue
            }
            if let why = refusal(tag: name) { throw AccessRefusal(why) }
        }
    }

    /// Every name an expression mentions, with its offset (aggregates read records, which queries refuse).
    static func names(in e: Expr) -> [(String, Int)] {
        switch e {
        case .name(let n, let at): return [(n, at)]
        case .unary(_, let a, _), .isNull(let a, _, _): return names(in: a)
        case .binary(_, let a, let b, _): return names(in: a) + names(in: b)
        case .inList(let a, let items, _, _): return names(in: a) + items.flatMap(names(in:))
        case .call(_, let args, _), .list(let args, _): return args.flatMap(names(in:))
        case .aggregate, .number, .string, .bool, .null, .asOf: return []
        }
    }

    // MARK: enterprises

    public func inScope(region: String) -> Bool { user.region.contains(region: region) }

    /// The profile as this user may see it: tags above the clearance removed, reasons that rest on them
    /// hidden, personal fields masked.
    public func visible(_ p: EnterpriseProfile) -> EnterpriseProfile {
        var p = p
        p.tags = p.tags.filter { sees(tag: $0.tag.id) }
        if !role.permits(.personalInfo) {
            for i in p.facts.indices where Self.personalFields.contains(p.facts[i].key) && !p.facts[i].value.isEmpty {
                p.facts[i].value = Self.masked
            }
        }
        if !sees(tag: "class") {
            p.riskClass = ""
            p.classNameZh = ""
            p.score = ""
        }
        (p.reasons, p.reasonsZh) = visibleReasons(codes: p.reasons, zh: p.reasonsZh)
        return p
    }

    /// Reasons are written as parallel lists (`tax.rating=D(+25); …` and `税务信用等级=D（+25）；…`); an item
    /// whose rule or score entry reads a tag above the clearance is replaced by a note, in both.
    public func visibleReasons(codes: String, zh: String) -> (String, String) {
        if !sees(tag: "reasons") { return ("", "") }
        let codeItems = codes.isEmpty ? [] : codes.components(separatedBy: "; ")
        let zhItems = zh.isEmpty ? [] : zh.components(separatedBy: "；")
        guard codeItems.count == zhItems.count else { return role.clearance == .confidential ? (codes, zh) : ("", "") }
        var outCodes: [String] = []
        var outZh: [String] = []
        for (c, z) in zip(codeItems, zhItems) {
            let key = String(c.prefix { $0 != "=" && $0 != "(" })
            if let level = clearance.reasons[key], level.sensitivity.rank > role.clearance.rank {
                outCodes.append("hidden(\(level.sensitivity.rawValue))")
                outZh.append("（\(level.sensitivity.nameZh)原因，已隐藏）")
            } else {
                outCodes.append(c)
                outZh.append(z)
            }
        }
        return (outCodes.joined(separator: "; "), outZh.joined(separator: "；"))
    }
}
