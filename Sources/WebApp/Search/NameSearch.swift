import DataContract
import DigiTagIO
import Engine
import ProfileStore
import Query

/// Enterprises whose Chinese name contains a fragment, best matches first: exact, then prefix, then
/// substring (shorter names first within each, then USCC order), through the store's name index
/// (`store/names.idx`, as `digitag find` reads it), cut to the user's region with the run's census.
public enum NameSearch {
    public struct Hit: Sendable, Equatable {
        public let uscc: String
        public let name: String
        public let region: String
    }

    /// At most `limit` hits inside `scope`, and how many matched there in all.
    ///
    /// - Complexity: the index's search (bigram postings, or every name for one character), one lookup in
    ///   the census per candidate, and the key block of each group a listed hit falls in.
    public static func find(_ fragment: String, in snapshot: RunSnapshot, scope: (String) -> Bool, limit: Int = 50) throws -> (
        hits: [Hit], total: Int
    ) {
        guard !fragment.isEmpty else { return ([], 0) }
        guard let index = snapshot.nameIndex else {
            throw InputError(
                file: NameIndex.path(run: snapshot.directory),
                message: "no name index here (runs published before digitag find existed have none: run that date again)")
        }
        let census = snapshot.census
        let inScope = census.regionCodes.map(scope)
        let (hits, total) = index.search(fragment, limit: limit) { ordinal in
            let r = census.region[ordinal]
            return r >= 0 && inScope[Int(r)]
        }
        let groupSize = snapshot.meta.groupSize
        return try snapshot.withStore { q -> (hits: [Hit], total: Int) in
            var keys: [Int: [UInt128]] = [:]
            var out: [Hit] = []
            for h in hits {
                let g = h.ordinal / groupSize
                if keys[g] == nil { keys[g] = try q.reader.keys(group: g) }
                out.append(Hit(uscc: USCC.text(keys[g]![h.ordinal % groupSize]), name: index.name(h.ordinal), region: census.regionCode(h.ordinal)))
            }
            return (out, total)
        }
    }
}
