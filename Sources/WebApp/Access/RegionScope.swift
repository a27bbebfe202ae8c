/// The part of the province a user answers for: the province (`37`), a city (`37xx`) or a county (`37xxxx`).
///
/// Region codes are the 6-digit administrative division codes of the registration (`reg.region`): a scope
/// contains a code when the code starts with the scope's digits.
public struct RegionScope: Sendable, Hashable, CustomStringConvertible {
    public enum Level: String, Sendable, CaseIterable, Codable {
        case province, city, county

        /// Digits of a code at this level.
        public var digits: Int {
            switch self {
            case .province: 2
            case .city: 4
            case .county: 6
            }
        }

        public var nameZh: String {
            switch self {
            case .province: "省"
            case .city: "市"
            case .county: "县区"
            }
        }
    }

    public let code: String

    /// A scope from its code; nil unless it is 2, 4 or 6 ASCII digits.
    public init?(_ code: String) {
        guard [2, 4, 6].contains(code.utf8.count), code.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        self.code = code
    }

    public var level: Level { code.utf8.count == 2 ? .province : code.utf8.count == 4 ? .city : .county }

    /// True when a 6-digit region code lies inside this scope.
    public func contains(region: String) -> Bool { region.utf8.starts(with: code.utf8) }

    public var description: String { code }
}
