import DataContract
import ProfileStore
import Query

/// Enterprises whose Chinese name contains a fragment, best matches first: exact, then prefix, then
/// substring, each in USCC order.
///
/// The store has no name index yet, so this reads the name and region columns row group by row group
/// (about 2 ms per 10,000 enterprises in a release build); the name index will replace the scan
/// behind the same function.
public enum NameSearch {
    public struct Hit: Sendable, Equatable {
        public let uscc: String
        public let name: String
        public let region: String
    }

    /// At most `limit` hits inside `scope`, and how many matched there in all.
    public static func find(_ fragment: String, in query: StoreQuery, scope: (String) -> Bool, limit: Int = 50) throws -> (hits: [Hit], total: Int) {
        let reader = query.reader
        guard !fragment.isEmpty else { return ([], 0) }
        let nameColumn = try reader.column("name")
        let regionColumn = try reader.column("reg.region")
        let regionCodes = reader.meta.columns[regionColumn].dictionary ?? []
        var ranked: [[Hit]] = [[], [], []]
        var total = 0
        for g in 0..<reader.groupCount {
            let names = try reader.texts(column: nameColumn, group: g)
            var keys: [UInt128]?
            var regions: [Int32]?
            for (i, name) in names.enumerated() where name.contains(fragment) {
                if regions == nil { regions = try reader.dictionaryIndices(column: regionColumn, group: g) }
                let r = regions![i]
                let region = r >= 0 && Int(r) < regionCodes.count ? regionCodes[Int(r)] : ""
                guard scope(region) else { continue }
                total += 1
                let rank = name == fragment ? 0 : name.hasPrefix(fragment) ? 1 : 2
                guard ranked[rank].count < limit else { continue }
                if keys == nil { keys = try reader.keys(group: g) }
                ranked[rank].append(Hit(uscc: USCC.text(keys![i]), name: name, region: region))
            }
        }
        return (Array(ranked.joined().prefix(limit)), total)
    }
}
