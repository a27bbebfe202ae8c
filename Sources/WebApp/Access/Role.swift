import Catalog

/// A role: the most sensitive tags it sees, the level of region its users answer for, and what it may do.
///
/// The shipped roles are fixed in code, not in the users file, so that a user's file cannot widen a role;
/// the table in docs/serving.md lists them.
public struct Role: Sendable, Hashable {
    public let id: String
    public let nameZh: String
    public let nameEn: String
    /// The highest tag sensitivity (the catalog's `sensitivity` column) this role sees.
    public let clearance: Sensitivity
    /// The level of a user's region for this role: a city analyst's region is a city code.
    public let level: RegionScope.Level
    public let permissions: Set<Permission>

    public func permits(_ p: Permission) -> Bool { permissions.contains(p) }

    public static let provinceAnalyst = Role(
        id: "province_analyst", nameZh: "省局分析员", nameEn: "province analyst", clearance: .confidential, level: .province,
        permissions: [.viewProfiles, .query, .export, .personalInfo])
    public static let cityAnalyst = Role(
        id: "city_analyst", nameZh: "市局分析员", nameEn: "city analyst", clearance: .internal, level: .city,
        permissions: [.viewProfiles, .query, .export])
    public static let countyInspector = Role(
        id: "county_inspector", nameZh: "县局检查员", nameEn: "county inspector", clearance: .internal, level: .county,
        permissions: [.viewProfiles, .query])
    public static let inspectionManager = Role(
        id: "inspection_manager", nameZh: "抽查管理员", nameEn: "inspection manager", clearance: .internal, level: .city,
        permissions: [.viewProfiles, .query, .export, .drawSamples, .importResults, .personalInfo])
    public static let auditor = Role(
        id: "auditor", nameZh: "审计员", nameEn: "auditor", clearance: .public, level: .province, permissions: [.readAudit])

    /// Every role a users file may name, in the order of the documentation's table.
    public static let shipped: [Role] = [provinceAnalyst, cityAnalyst, countyInspector, inspectionManager, auditor]

    public static func named(_ id: String) -> Role? { shipped.first { $0.id == id } }
}

extension Sensitivity {
    /// Order of clearance: public < internal < confidential.
    public var rank: Int {
        switch self {
        case .public: 0
        case .internal: 1
        case .confidential: 2
        }
    }

    public var nameZh: String {
        switch self {
        case .public: "公开"
        case .internal: "内部"
        case .confidential: "机密"
        }
    }
}
