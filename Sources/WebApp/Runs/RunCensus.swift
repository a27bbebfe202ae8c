import ProfileStore

/// Every enterprise's region and class in one run, by ordinal (USCC order): what scoping a name search,
/// counting classes by area and following a class across runs need, without reading a store block per
/// question.
///
/// - Complexity: built in one pass over the `reg.region` and `class` columns; 8 bytes an enterprise.
struct RunCensus: Sendable {
    /// The region column's dictionary (6-digit codes) and each enterprise's index into it (-1: none).
    let regionCodes: [String]
    let region: [Int32]
    /// The class column's dictionary and each enterprise's index into it (-1: none).
    let classCodes: [String]
    let riskClass: [Int32]

    init(reader: StoreReader) throws {
        let r = try reader.column("reg.region")
        let c = try reader.column("class")
        regionCodes = reader.meta.columns[r].dictionary ?? []
        classCodes = reader.meta.columns[c].dictionary ?? []
        var region: [Int32] = []
        var riskClass: [Int32] = []
        region.reserveCapacity(reader.meta.enterprises)
        riskClass.reserveCapacity(reader.meta.enterprises)
        for g in 0..<reader.groupCount {
            region += try reader.dictionaryIndices(column: r, group: g)
            riskClass += try reader.dictionaryIndices(column: c, group: g)
        }
        self.region = region
        self.riskClass = riskClass
    }

    var count: Int { region.count }

    /// Per region dictionary entry, whether it lies in the user's scope.
    func regionsIn(_ policy: AccessPolicy) -> [Bool] { regionCodes.map(policy.inScope(region:)) }

    func regionCode(_ ordinal: Int) -> String { region[ordinal] < 0 ? "" : regionCodes[Int(region[ordinal])] }
    func classCode(_ ordinal: Int) -> String { riskClass[ordinal] < 0 ? "" : classCodes[Int(riskClass[ordinal])] }

    /// Enterprises in scope by area (the region code cut to `digits`) and class: `[area: [class: count]]`.
    func classCounts(in scope: [Bool], areaDigits digits: Int) -> [String: [String: Int]] {
        // One flat table of counts, region index × (class index + 1): no allocation per enterprise.
        let width = classCodes.count + 1
        var table = [Int](repeating: 0, count: regionCodes.count * width)
        for i in 0..<region.count {
            let r = Int(region[i])
            guard r >= 0 && scope[r] else { continue }
            table[r * width + Int(riskClass[i]) + 1] += 1
        }
        var out: [String: [String: Int]] = [:]
        for r in 0..<regionCodes.count where scope[r] {
            let area = String(regionCodes[r].prefix(digits))
            for k in 0..<width where table[r * width + k] > 0 {
                out[area, default: [:]][k == 0 ? "" : classCodes[k - 1], default: 0] += table[r * width + k]
            }
        }
        return out
    }
}
