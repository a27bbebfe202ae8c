import DataContract
import DigiTagBase
import DigiTagIO

/// One GB/T 4754-2017 division from `Pipelines/industries.csv`, with its generation traits.
struct Industry: Sendable {
    var code: String
    var section: String
    var traits: IndustryTraits
}

/// The industries enterprises are drawn from, weighted by `IndustryTraits.weight`.
///
/// Two tables: any enterprise, and the trades open to individual businesses (shops, catering, services,
/// farming), so that a 个体工商户 is never a steel mill.
struct IndustryModel: Sendable {
    let industries: [Industry]
    private let all: WeightedTable
    private let smallTrades: WeightedTable

    init(_ table: ReferenceTable) throws {
        let columns = try Columns(table, ["code", "section"])
        var industries: [Industry] = []
        var problems: [Diagnostic] = []
        for (r, row) in table.rows.enumerated() {
            let location = SourceLocation(file: table.path, line: r < table.lines.count ? table.lines[r] : nil)
            guard row.count == table.header.count else {
                problems.append(Diagnostic(location, "expected \(table.header.count) fields, found \(row.count)"))
                continue
            }
            let code = row[columns["code"]]
            let section = row[columns["section"]]
            guard !code.isEmpty, !code.contains(","), !code.contains("\"") else {
                problems.append(Diagnostic(location, "industry code '\(code)' is empty or needs quoting"))
                continue
            }
            industries.append(Industry(code: code, section: section, traits: .of(code: code, section: section)))
        }
        if !industries.contains(where: { $0.traits.weight > 0 }) {
            problems.append(
                Diagnostic(
                    SourceLocation(file: table.path), "no industry division the generator knows (A01 … R90)",
                    hint: "industry codes are a GB/T 4754 section letter and a 2-digit division"))
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        self.industries = industries
        all = WeightedTable(industries.map(\.traits.weight))
        let small = industries.map { $0.traits.smallTrade ? $0.traits.weight : 0 }
        // A table without any small trade falls back to all industries.
        smallTrades = small.contains { $0 > 0 } ? WeightedTable(small) : all
    }

    func pick(smallTrade: Bool, _ random: inout Random) -> Int {
        smallTrade ? smallTrades.pick(&random) : all.pick(&random)
    }
}
