import DataContract
import DigiTagBase
import Engine
import Catalog
import Foundation
import ProfileStore
import Query
import RunModel
import Testing
import TestSupport

/// Issue 17, evidence: for every tag the scorecard and the hard rules read, on SampleData, for every
/// enterprise, the records `explain --tag` lists are exactly those the tag's definition selects (nothing
/// missing, nothing else), and recomputing the tag from them gives the published value.
///
/// The oracle is written here from the catalog's definitions (Pipelines/tags/*.yaml), record by record over
/// the archive's raw records, without the engine: a predicate per tag and the aggregate applied by hand.
@Suite("evidence: explain lists exactly the records behind each risk tag", .serialized)
struct EvidenceOracleTests {
    static let asOf = Double(Day(iso: "2024-12-31")!.value)

    /// A record's fields by name.
    struct Fields {
        let record: EvidenceRecord
        let schema: SourceSchema
        let vocabulary: Vocabulary
        func n(_ name: String) -> Double { record.numbers[schema.fieldIndex(name)!] }
        func c(_ name: String) -> String? { vocabulary.text(record.codes[schema.fieldIndex(name)!]) }
        func isNull(_ name: String) -> Bool { n(name).isNaN }
        /// `within Ny` over the source's event date: date > as-of − N·365.
        func within(years: Int) -> Bool { n(schema.eventDate) > asOf - Double(365 * years) }
    }

    enum Aggregate: Sendable {
        case exists, count
        /// A boolean tag `count(…) >= n`.
        case countAtLeast(Int)
        case sum(String), min(String)
        /// The record with the latest event date decides (ties: any of them, the value must match).
        case latest(String)
        /// `reg.registered_capital >= 10000 and sum(tax_filings.amount within 1y) == 0`: the sum's records,
        /// the value with the published capital (basic.capital.amount).
        case capitalNoTax
        /// No aggregate: the tag reads registration fields only, and explain lists no record.
        case none
    }

    struct Oracle: Sendable {
        var source: String
        var keep: @Sendable (Fields) -> Bool
        var aggregate: Aggregate
    }

    /// From the definitions in Pipelines/tags (expressions quoted), for the aggregate tags the risk model reads
    /// directly or through a derived tag.
    static let oracles: [String: Oracle] = {
        var o: [String: Oracle] = [:]
        // exists(abnormal_list where removed_on is null)
        o["abnormal.listed"] = Oracle(source: "abnormal_list", keep: { $0.isNull("removed_on") }, aggregate: .exists)
        // asof - min(abnormal_list.listed_on where removed_on is null)   (read by abnormal.over_3y)
        o["abnormal.days_listed"] = Oracle(source: "abnormal_list", keep: { $0.isNull("removed_on") }, aggregate: .min("listed_on"))
        // count(abnormal_list) >= 2: the aggregate counts every listing
        o["abnormal.repeated"] = Oracle(source: "abnormal_list", keep: { _ in true }, aggregate: .countAtLeast(2))
        // count(penalties within 3y)
        o["penalty.count.3y"] = Oracle(source: "penalties", keep: { $0.within(years: 3) }, aggregate: .count)
        // exists(penalties where severity == 'serious' within 3y)
        o["penalty.serious.3y"] = Oracle(source: "penalties", keep: { $0.c("severity") == "serious" && $0.within(years: 3) }, aggregate: .exists)
        // exists(inspections where result != 'no_problem' within 3y)
        o["inspection.problem.3y"] = Oracle(
            source: "inspections", keep: { $0.c("result") != nil && $0.c("result") != "no_problem" && $0.within(years: 3) }, aggregate: .exists)
        for r in ["unreachable", "not_cooperating"] {
            // exists(inspections where result == '{r}' within 3y)
            o["inspection.result.\(r).3y"] = Oracle(source: "inspections", keep: { $0.c("result") == r && $0.within(years: 3) }, aggregate: .exists)
        }
        // exists(licences where expires_on <= asof) / exists(licences where expires_on > asof)
        o["licence.expired"] = Oracle(source: "licences", keep: { !$0.isNull("expires_on") && $0.n("expires_on") <= asOf }, aggregate: .exists)
        o["licence.held"] = Oracle(source: "licences", keep: { !$0.isNull("expires_on") && $0.n("expires_on") > asOf }, aggregate: .exists)
        // count(complaints where substantiated within 1y)
        o["complaint.substantiated.1y"] = Oracle(
            source: "complaints", keep: { $0.n("substantiated") == 1 && $0.within(years: 1) }, aggregate: .count)
        // exists(annual_reports where report_year == year(asof) - 1 and filed_on > date(report_year + 1, 6, 30))
        o["annual.late.1y_ago"] = Oracle(
            source: "annual_reports",
            keep: { $0.n("report_year") == 2023 && $0.n("filed_on") > Double(Day(year: 2024, month: 6, day: 30)!.value) }, aggregate: .exists)
        // reg.registered_capital >= 10000 and sum(tax_filings.amount within 1y) == 0
        o["targeted.capital_ge10000_no_tax.1y"] = Oracle(
            source: "tax_filings", keep: { $0.within(years: 1) && !$0.isNull("amount") }, aggregate: .capitalNoTax)
        // asof - reg.established_on < 365
        o["basic.age.new_1y"] = Oracle(source: "registration", keep: { _ in false }, aggregate: .none)
        // latest(annual_reports.employees), latest(annual_reports.revenue)
        o["annual.employees.latest"] = Oracle(source: "annual_reports", keep: { _ in true }, aggregate: .latest("employees"))
        o["annual.revenue.latest"] = Oracle(source: "annual_reports", keep: { _ in true }, aggregate: .latest("revenue"))
        // exists(annual_reports where report_year == year(asof) - 1)   (read by annual.missing.1y_ago)
        o["annual.filed.1y_ago"] = Oracle(source: "annual_reports", keep: { $0.n("report_year") == 2023 }, aggregate: .exists)
        // latest(tax_ratings.rating)
        o["tax.rating"] = Oracle(source: "tax_ratings", keep: { _ in true }, aggregate: .latest("rating"))
        // count(tax_filings where filed_on > due_on within 1y); count(tax_filings where filed_on is null within 1y)
        o["tax.filing.late.any.1y"] = Oracle(
            source: "tax_filings", keep: { !$0.isNull("filed_on") && $0.n("filed_on") > $0.n("due_on") && $0.within(years: 1) }, aggregate: .count)
        o["tax.filing.missing.any.1y"] = Oracle(source: "tax_filings", keep: { $0.isNull("filed_on") && $0.within(years: 1) }, aggregate: .count)
        // sum(tax_arrears.amount where cleared_on is null)   (read by tax.arrears.band)
        o["tax.arrears.amount"] = Oracle(source: "tax_arrears", keep: { $0.isNull("cleared_on") }, aggregate: .sum("amount"))
        // count(tax_violations within 3y)
        o["tax.violation.count.3y"] = Oracle(source: "tax_violations", keep: { $0.within(years: 3) }, aggregate: .count)
        // exists(dishonest_debtors where removed_on is null)
        o["credit.dishonest_debtor"] = Oracle(source: "dishonest_debtors", keep: { $0.isNull("removed_on") }, aggregate: .exists)
        for l in ["black", "red", "serious_dishonest"] {
            // exists(credit_lists where list == '{l}' and removed_on is null)
            o["credit.\(l)"] = Oracle(source: "credit_lists", keep: { $0.c("list") == l && $0.isNull("removed_on") }, aggregate: .exists)
        }
        // exists(commitments where breached_on is not null)
        o["credit.commitment.breached"] = Oracle(source: "commitments", keep: { !$0.isNull("breached_on") }, aggregate: .exists)
        return o
    }()

    /// The aggregate tag the oracle checks for each tag the risk model reads (itself, or what it reads).
    static let riskTags: [String: [String]] = [
        "abnormal.listed": ["abnormal.listed"], "abnormal.over_3y": ["abnormal.days_listed"], "abnormal.repeated": ["abnormal.repeated"],
        "annual.missing.1y_ago": ["annual.filed.1y_ago"], "penalty.count.3y": ["penalty.count.3y"],
        "penalty.serious.3y": ["penalty.serious.3y"], "inspection.problem.3y": ["inspection.problem.3y"],
        "inspection.result.unreachable.3y": ["inspection.result.unreachable.3y"],
        "inspection.result.not_cooperating.3y": ["inspection.result.not_cooperating.3y"],
        "licence.expired_not_renewed": ["licence.expired", "licence.held"], "complaint.substantiated.1y": ["complaint.substantiated.1y"],
        "annual.no_employees_no_revenue": ["annual.employees.latest", "annual.revenue.latest"], "tax.rating": ["tax.rating"],
        "tax.filing.late.any.1y": ["tax.filing.late.any.1y"], "tax.filing.missing.any.1y": ["tax.filing.missing.any.1y"],
        "tax.arrears.band": ["tax.arrears.amount"], "tax.violation.count.3y": ["tax.violation.count.3y"],
        "credit.dishonest_debtor": ["credit.dishonest_debtor"], "credit.black": ["credit.black"], "credit.red": ["credit.red"],
        "credit.serious_dishonest": ["credit.serious_dishonest"], "credit.commitment.breached": ["credit.commitment.breached"],
        "annual.late.1y_ago": ["annual.late.1y_ago"], "targeted.capital_ge10000_no_tax.1y": ["targeted.capital_ge10000_no_tax.1y"],
        "basic.age.new_1y": ["basic.age.new_1y"],
    ]

    @Test("every enterprise of SampleData: each risk tag's listed records are the definition's, and give the published value")
    func everyEnterprise() throws {
        let run = StoreFixture.run
        let definition = StoreFixture.definition
        let catalog = definition.catalog
        let sources = definition.sources
        let reader = try EvidenceReader(run: run, sources: sources)
        // Every tag the scorecard and the hard rules read is covered by the oracle.
        let used = Set(definition.risk.entries.flatMap { e in e.tagIndex.map { [$0] } ?? Array(e.expression?.tagIndices ?? []) })
            .union(definition.risk.hardRules.flatMap { $0.condition.tagIndices })
        for t in used { #expect(Self.riskTags[catalog.tags[t].id] != nil, "no oracle for risk tag \(catalog.tags[t].id)") }
        let checked = Set(Self.riskTags.values.joined())
        var listedRecords = 0
        var enterprisesWithRecords = 0
        // Every tag's published column, read once (SampleData's enterprises fit in one row group).
        let store = try StoreReader(run: run)
        #expect(store.meta.groupSize >= StoreFixture.tags.rows.count)
        var vocabulary = catalog.vocabulary
        let columns = try catalog.tags.map { tag in
            try store.publishedTagColumn(try store.column(forTag: tag.id), group: 0, type: tag.type, vocabulary: &vocabulary)
        }
        for (ordinal, row) in StoreFixture.tags.rows.enumerated() {
            let uscc = row[0]
            let own = columns.map { c -> Column in
                switch c {
                case .numbers(let v): return .numbers([v[ordinal]])
                case .codes(let v): return .codes([v[ordinal]])
                }
            }
            let evidence = try TagEvidence.Source(
                catalog: catalog, asOf: Day(iso: "2024-12-31")!, reader: reader, ordinal: ordinal, uscc: uscc, columns: own)
            var any = false
            for id in checked.sorted() {
                let oracle = Self.oracles[id]!
                let s = sources.sources.firstIndex { $0.name == oracle.source }!
                let schema = sources.sources[s]
                let all = schema.isEntity ? [] : try reader.records(ordinal: ordinal, source: s)
                let fields = all.map { Fields(record: $0, schema: schema, vocabulary: catalog.vocabulary) }
                let expected = fields.filter(oracle.keep)
                let group = evidence.evidence(tag: catalog.indexByID[id]!).groups[0]
                #expect(group.tag == id)
                let listed = group.aggregates.flatMap { $0.records.map(\.record) }
                listedRecords += listed.count
                if !listed.isEmpty { any = true }
                let published = StoreFixture.records[ordinal][id]!
                switch oracle.aggregate {
                case .latest(let field):
                    // The decided record: one of those with the latest event date; its value is the published one.
                    let latest = expected.map { $0.n(schema.eventDate) }.max()
                    let candidates = expected.filter { $0.n(schema.eventDate) == latest }.map(\.record)
                    #expect(listed.count == (candidates.isEmpty ? 0 : 1), "\(uscc) \(id)")
                    if let chosen = listed.first {
                        #expect(candidates.contains(chosen), "\(uscc) \(id): \(chosen) is not of the latest date")
                        let f = Fields(record: chosen, schema: schema, vocabulary: catalog.vocabulary)
                        let v = schema.field(field)!.type.storage == .code ? (f.c(field) ?? "") : ValueFormat.number(f.n(field))
                        #expect(v == published, "\(uscc) \(id): the chosen record says \(v), the run published \(published)")
                    } else {
                        #expect(published == "", "\(uscc) \(id)")
                    }
                case .min(let field):
                    let withValue = expected.filter { !$0.isNull(field) }.map(\.record)
                    #expect(listed == withValue, "\(uscc) \(id)")
                    let least = withValue.map { $0.numbers[schema.fieldIndex(field)!] }.min()
                    #expect(least.map { ValueFormat.number(Self.asOf - $0) } ?? "" == published, "\(uscc) \(id)")
                case .sum(let field):
                    let withValue = expected.filter { !$0.isNull(field) }.map(\.record)
                    #expect(listed == withValue, "\(uscc) \(id)")
                    let total = withValue.reduce(0.0) { $0 + $1.numbers[schema.fieldIndex(field)!] }
                    #expect(ValueFormat.number(total) == published, "\(uscc) \(id)")
                case .count:
                    #expect(listed == expected.map(\.record), "\(uscc) \(id)")
                    #expect(String(expected.count) == published, "\(uscc) \(id)")
                case .none:
                    #expect(group.aggregates.isEmpty && listed.isEmpty, "\(uscc) \(id)")
                case .capitalNoTax:
                    #expect(listed == expected.map(\.record), "\(uscc) \(id)")
                    let total = expected.reduce(0.0) { $0 + $1.n("amount") }
                    let capital = Double(StoreFixture.records[ordinal]["basic.capital.amount"]!) ?? -1
                    #expect((capital >= 10000 && total == 0 ? "1" : "0") == published, "\(uscc) \(id)")
                case .countAtLeast(let n):
                    #expect(listed == expected.map(\.record), "\(uscc) \(id)")
                    #expect((expected.count >= n ? "1" : "0") == published, "\(uscc) \(id)")
                case .exists:
                    #expect(listed == expected.map(\.record), "\(uscc) \(id)")
                    #expect((expected.isEmpty ? "0" : "1") == published, "\(uscc) \(id)")
                }
            }
            if any { enterprisesWithRecords += 1 }
        }
        // Not vacuous: SampleData has records behind these tags for many enterprises.
        #expect(enterprisesWithRecords > 500)
        #expect(listedRecords > 1000)
    }
}
