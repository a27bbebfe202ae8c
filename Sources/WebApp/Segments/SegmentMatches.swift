import Query

/// An expression evaluated once over a run, cut to one region scope: the matching enterprises (ordinals, in
/// USCC order) and their counts by county and class. Everything a segment page shows comes from it; only
/// the rows of the page asked for are then read and formatted.
///
/// - Complexity: one evaluation of the expression over the store (the columns it reads), then one pass over
///   the matches with the run's census; 4 bytes per match.
struct SegmentMatches: Sendable {
    /// Matching enterprises inside the scope, ascending.
    let ordinals: [Int32]
    /// Matches per census region index × (census class index + 1); class index 0 holds "no class".
    let table: [Int]
    let width: Int

    var total: Int { ordinals.count }

    /// Evaluates `expression` with `query` (a reader of the run whose census this is) inside `scope` (per region
    /// dictionary entry of the census, as `RunCensus.regionsIn` gives).
    static func evaluate(_ expression: String, query: StoreQuery, census: RunCensus, scope: [Bool]) throws -> SegmentMatches {
        let matched = try query.matches(expression)
        let width = census.classCodes.count + 1
        var table = [Int](repeating: 0, count: census.regionCodes.count * width)
        var ordinals: [Int32] = []
        ordinals.reserveCapacity(matched.count)
        for o in matched {
            let r = Int(census.region[o])
            guard r >= 0 && scope[r] else { continue }
            ordinals.append(Int32(o))
            table[r * width + Int(census.riskClass[o]) + 1] += 1
        }
        return SegmentMatches(ordinals: ordinals, table: table, width: width)
    }

    /// Counts by county (6-digit region code), by city (its first 4 digits) and by class code ("" for none).
    func counts(census: RunCensus) -> (byCounty: [String: Int], byCity: [String: Int], byClass: [String: Int]) {
        var byCounty: [String: Int] = [:]
        var byCity: [String: Int] = [:]
        var byClass: [String: Int] = [:]
        for r in 0..<census.regionCodes.count {
            var inRegion = 0
            for k in 0..<width where table[r * width + k] > 0 {
                let n = table[r * width + k]
                inRegion += n
                byClass[k == 0 ? "" : census.classCodes[k - 1], default: 0] += n
            }
            guard inRegion > 0 else { continue }
            let code = census.regionCodes[r]
            byCounty[code, default: 0] += inRegion
            byCity[String(code.prefix(4)), default: 0] += inRegion
        }
        return (byCounty, byCity, byClass)
    }
}
