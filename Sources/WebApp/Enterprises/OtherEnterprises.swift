import DataContract
import ProfileStore

/// The legal representative's other enterprises, inside the user's region only (docs/serving.md, "Profiles"):
/// neither listed nor counted outside it, so a city analyst does not learn that the person has enterprises
/// elsewhere. The links come from `store/peers.idx`, which holds no name or ID number: the person stays
/// masked whatever the role, and the links are shown to every role that may open profiles.
enum OtherEnterprises {
    struct Entry: Sendable, Equatable {
        var uscc: String
        var name: String
        var region: String
        var regionName: String
        /// Empty for a role that does not see classes.
        var riskClass: String
    }

    static let limit = 50

    /// The others of `key`'s group in the user's region, in USCC order, the first `limit` of them and how many
    /// there are; nil when the run has no peer groups (published before they were written).
    ///
    /// - Complexity: the group's members from the run's peer index, then the row block of each listed
    ///   enterprise (`StoreReader.row(ordinal:)`).
    static func find(ordinal: Int, policy: AccessPolicy, snapshot: RunSnapshot) throws -> (list: [Entry], total: Int)? {
        guard let peers = snapshot.peers else { return nil }
        let census = snapshot.census
        let inScope = census.regionsIn(policy)
        var others: [Int] = []
        for member in peers.group(of: ordinal) where Int(member) != ordinal {
            let r = census.region[Int(member)]
            if r >= 0 && inScope[Int(r)] { others.append(Int(member)) }
        }
        let showClass = policy.sees(tag: "class")
        let regions = Dictionary(snapshot.meta.regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let list = try snapshot.withStore { q in
            try others.prefix(limit).map { o -> Entry in
                let row = try q.reader.row(ordinal: o)
                let region = census.regionCode(o)
                return Entry(
                    uscc: try row.formatted("uscc"), name: try row.formatted("name"), region: region,
                    regionName: regions[region].map { "\($0.cityName) \($0.name)" } ?? "", riskClass: showClass ? census.classCode(o) : "")
            }
        }
        return (list, others.count)
    }
}
