import DigiTagBase
import DigiTagIO

/// The law-enforcement inspector directory (执法检查人员名录库) for the sampling stage, `inspectors.csv`.
///
/// About one inspector per 8 enterprises (at least 40): 70% market supervision, 30% tax. Inspectors
/// come in pairs (an inspection needs two officers) spread over counties by their share of enterprises;
/// when there are fewer pairs than counties, the largest counties get theirs first and the smallest have
/// no local inspectors (the sampler then draws from the city). Market inspectors cover two to five
/// items of the inspection list; tax inspectors cover `tax_compliance`. One in ten declared a
/// relationship with one to three enterprises, preferably of their own county (回避).
enum InspectorDirectory {
    static let taxItem = "tax_compliance"

    static func count(enterprises: Int) -> Int { max(40, (enterprises + 4) / 8) }

    static func write(enterprises: Int, context: GenerationContext, path: String) throws -> Int {
        let writer = try CSVWriter(path: path, header: InspectorFile.header)
        let total = count(enterprises: enterprises)
        let market = (total * 7 + 5) / 10
        var ordinal = 0
        for (department, letter, budget) in [("market", "M", market), ("tax", "T", total - market)] {
            let perCounty = allocate(budget, weights: context.regions.counties.map(\.weight))
            for (c, n) in perCounty.enumerated() where n > 0 {
                let county = context.regions.counties[c]
                for k in 1...n {
                    var random = Random(seed: context.seed, key: UInt64(ordinal), stream: .inspectors)
                    ordinal += 1
                    writer.field(letter + county.code + (k < 10 ? "00" : k < 100 ? "0" : "") + "\(k)")
                    writer.field(ChineseText.personName(&random))
                    writer.field(department)
                    writer.field(county.code)
                    writer.field(department == "market" ? marketItems(&random) : taxItem)
                    writer.integer(random.int(3...15))
                    writer.field(
                        random.chance(0.1)
                            ? conflicts(county: c, enterprises: enterprises, context: context, &random) : "")
                    try writer.endRow()
                }
            }
        }
        try writer.close()
        return ordinal
    }

    /// Splits `budget` inspectors into pairs over counties: one pair each while pairs last (largest
    /// counties first), the remaining pairs in proportion to weight (largest remainders), an odd one
    /// to the largest county.
    static func allocate(_ budget: Int, weights: [Double]) -> [Int] {
        var counts = Array(repeating: 0, count: weights.count)
        guard !weights.isEmpty, budget > 0 else { return counts }
        let byWeight = weights.indices.sorted { weights[$0] > weights[$1] || (weights[$0] == weights[$1] && $0 < $1) }
        var pairs = budget / 2
        for c in byWeight where pairs > 0 {
            counts[c] += 2
            pairs -= 1
        }
        if pairs > 0 {
            let total = weights.reduce(0, +)
            let shares = weights.map { Double(pairs) * $0 / total }
            var given = 0
            for c in counts.indices {
                counts[c] += 2 * Int(shares[c])
                given += Int(shares[c])
            }
            let byRemainder = weights.indices.sorted {
                let a = shares[$0] - shares[$0].rounded(.down)
                let b = shares[$1] - shares[$1].rounded(.down)
                return a > b || (a == b && $0 < $1)
            }
            for c in byRemainder.prefix(pairs - given) { counts[c] += 2 }
        }
        if budget % 2 == 1, let top = byWeight.first { counts[top] += 1 }
        return counts
    }

    private static func marketItems(_ random: inout Random) -> String {
        var items = InspectionItem.allCases.map(\.rawValue)
        let n = random.int(2...5)
        var chosen: [String] = []
        for _ in 0..<n { chosen.append(items.remove(at: random.index(items.count))) }
        // In the list's order, so the same set always reads the same.
        return InspectionItem.allCases.map(\.rawValue).filter(chosen.contains).joined(separator: ";")
    }

    /// USCCs of one to three enterprises: of the inspector's county when a few tries find one.
    private static func conflicts(county: Int, enterprises: Int, context: GenerationContext, _ random: inout Random)
        -> String
    {
        guard enterprises > 0 else { return "" }
        var codes: [String] = []
        for _ in 0..<random.int(1...3) {
            var pick: EnterpriseProfile?
            for _ in 0..<20 {
                let candidate = EnterpriseProfile(index: random.index(enterprises), context: context)
                pick = candidate
                if candidate.county == county { break }
            }
            if let pick, !codes.contains(pick.uscc) { codes.append(pick.uscc) }
        }
        return codes.joined(separator: ";")
    }
}
