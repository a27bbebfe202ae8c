import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import ProfileStore

/// `digitag find`: enterprises of a run by any part of their name, through the store's name index.
public enum EnterpriseFinder {
    public struct Found: Sendable, Equatable {
        public var uscc: String
        public var name: String
        public var cityCode: String
        public var cityName: String
        public var countyCode: String
        public var countyName: String
        public var riskClass: String
        public var match: NameIndexReader.Match
    }

    public struct Result: Sendable {
        public var found: [Found]
        /// Every name that matches, of which `found` are the first.
        public var total: Int
    }

    /// The enterprises whose name contains `text` (spaces around it trimmed), best first: the whole name,
    /// then names starting with it, then the rest; shorter names first within each.
    ///
    /// - Complexity: the name index's search, then the `uscc`, `reg.region` and `class` blocks of the groups
    ///   the first `limit` hits fall in.
    public static func find(_ text: String, run: String, limit: Int) throws -> Result {
        let index = try NameIndexReader(path: NameIndex.path(run: run))
        let reader = try StoreReader(run: run)
        return try find(text, index: index, reader: reader, limit: limit)
    }

    public static func find(_ text: String, index: NameIndexReader, reader: StoreReader, limit: Int) throws -> Result {
        let query = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let (hits, total) = index.search(query, limit: limit)
        let meta = reader.meta
        let regionColumn = try reader.column("reg.region")
        let classColumn = try reader.column("class")
        let regionDictionary = meta.columns[regionColumn].dictionary ?? []
        let classDictionary = meta.columns[classColumn].dictionary ?? []
        let regions = Dictionary(meta.regions.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        var groups: [Int: (keys: [UInt128], regions: [Int32], classes: [Int32])] = [:]
        var found: [Found] = []
        for hit in hits {
            let g = hit.ordinal / meta.groupSize
            let row = hit.ordinal % meta.groupSize
            if groups[g] == nil {
                groups[g] = (
                    try reader.keys(group: g), try reader.dictionaryIndices(column: regionColumn, group: g),
                    try reader.dictionaryIndices(column: classColumn, group: g)
                )
            }
            let block = groups[g]!
            let code = block.regions[row] < 0 ? "" : regionDictionary[Int(block.regions[row])]
            let region = regions[code]
            found.append(
                Found(
                    uscc: USCC.text(block.keys[row]), name: index.name(hit.ordinal), cityCode: region?.cityCode ?? "",
                    cityName: region?.cityName ?? "", countyCode: code, countyName: region?.name ?? "",
                    riskClass: block.classes[row] < 0 ? "" : classDictionary[Int(block.classes[row])], match: hit.match))
        }
        return Result(found: found, total: total)
    }

    /// The hits as a table: USCC, name, city and county (code and name), class, and how the name matched.
    public static func table(_ r: Result) -> TextTable {
        TextTable(
            header: ["uscc", "name", "city", "county", "class", "match"],
            rows: r.found.map {
                [$0.uscc, $0.name, "\($0.cityCode) \($0.cityName)", "\($0.countyCode) \($0.countyName)", $0.riskClass, "\($0.match)"]
            })
    }
}
