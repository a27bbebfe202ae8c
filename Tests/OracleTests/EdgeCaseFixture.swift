import DataContract
import DigiTagIO
import Foundation
import TestSupport

/// Generated data plus hand-made records and extra tags aimed at the places where SQL and the engine could
/// part ways: ties in `latest`/`earliest`, dates that do not exist, NULL in every operator, fractional days,
/// point in time, and input files in every accepted shape (part files, mixed .csv/.csv.zst, columns in
/// another order, extra columns, lowercase flags, quoted fields).
enum EdgeCaseFixture {
    /// Registered 2020-02-29 and revoked on 2024-06-01; ties on one date in its reports and penalties.
    static let tied = uscc("91370102EDGE00001")
    /// Established 2024-05-01: does not exist before then, nor do its records.
    static let late = uscc("91370102EDGE00002")
    /// Cancelled in 2023; no annual reports at all.
    static let cancelled = uscc("91370102EDGE00003")
    /// The legal representative of all three, so `peers_count` sees a person with enterprises that come and go.
    static let person = "P-EDGE-1"

    /// The extra tags, appended to the shipped catalog.
    static let tags = """
        # Edge cases of the tag language, for the DuckDB oracle (Tests/OracleTests).
        dimension: supervision
        sensitivity: internal
        tags:
          - {id: edge.latest.employees, type: numeric, expr: latest(annual_reports.employees)}
          - {id: edge.earliest.employees, type: numeric, expr: earliest(annual_reports.employees)}
          - {id: edge.latest.severity, type: categorical, expr: latest(penalties.severity)}
          - {id: edge.earliest.severity, type: categorical, expr: earliest(penalties.severity)}
          - {id: edge.latest.info_published, type: boolean, expr: latest(annual_reports.info_published)}
          - {id: edge.latest.info_published.false, type: boolean, expr: "latest(annual_reports.info_published) == false"}
          - {id: edge.latest.info_published.not, type: boolean, expr: "not latest(annual_reports.info_published)"}
          - {id: edge.earliest.removed_on, type: date, expr: earliest(abnormal_list.removed_on)}
          - {id: edge.latest.removed_on, type: date, expr: latest(abnormal_list.removed_on)}
          - {id: edge.latest.score, type: numeric, expr: latest(tax_ratings.score)}
          - {id: edge.earliest.score, type: numeric, expr: earliest(tax_ratings.score)}
          - {id: edge.latest.score.where, type: numeric, expr: "latest(tax_ratings.score where score is not null)"}
          - {id: edge.latest.score.1y, type: numeric, expr: "latest(tax_ratings.score within 1y)"}
          - {id: edge.latest.score.drop, type: boolean, expr: "max(tax_ratings.score) - latest(tax_ratings.score) > 20"}
          - {id: edge.latest.filed_on, type: date, expr: latest(tax_filings.filed_on)}
          - {id: edge.count.score, type: numeric, expr: count(tax_ratings.score)}
          - {id: edge.ratio.empty_whole, type: numeric, expr: "ratio(count(tax_ratings), latest(tax_ratings.score), -1)"}
          - {id: edge.feb29.this_year, type: date, expr: "date(year(asof), 2, 29)"}
          - {id: edge.feb29.established, type: date, expr: "date(year(reg.established_on), 2, 29)"}
          - {id: edge.date.fractional, type: date, expr: "date(year(asof) - 0.5, month(reg.established_on) + 0.7, 31.9)"}
          - {id: edge.date.month13, type: numeric, expr: "count(annual_reports where date(report_year, 13, 1) is null)"}
          - {id: edge.date.huge_year, type: date, expr: "date(year(asof) * 10, 1, 1)"}
          - {id: edge.round.half, type: numeric, expr: "round(count(penalties) / 2) - round(0 - count(penalties) / 2)"}
          - {id: edge.round.literal, type: numeric, expr: "round(-2.5) + round(2.5) * 10 + round(0.49999) * 100"}
          - {id: edge.floor.negative, type: numeric, expr: "floor(0 - count(penalties) / 3)"}
          - {id: edge.ratio.zero, type: numeric, expr: "ratio(sum(penalties.amount), max(penalties.amount within 90d), -1)"}
          - {id: edge.ratio.null_part, type: numeric, expr: "ratio(max(penalties.amount), count(penalties), -1)"}
          - {id: edge.min.null, type: numeric, expr: "min(days_since(penalties), days_since(complaints))"}
          - {id: edge.max.dates, type: date, expr: "max(max(penalties.decided_on), reg.established_on)"}
          - {id: edge.divide.zero, type: numeric, expr: "count(penalties) / count(complaints where category == 'price')"}
          - {id: edge.not.null, type: boolean, expr: "not (days_since(penalties) > 100)"}
          - {id: edge.not_in.null, type: boolean, expr: "latest(penalties.severity) not in ['minor']"}
          - {id: edge.in_numbers.null, type: boolean, expr: "latest(annual_reports.employees) in [0, 1, 2]"}
          - {id: edge.date.plus_fraction, type: date, expr: "reg.established_on + count(penalties) / 2"}
          - {id: edge.date.fraction_compare, type: boolean, expr: "reg.established_on + 0.5 > reg.established_on"}
          - {id: edge.date.fraction_days, type: numeric, expr: "asof - (reg.established_on + count(penalties) / 4)"}
          - {id: edge.coalesce.date, type: date, expr: "coalesce(max(abnormal_list.removed_on), reg.established_on)"}
          - {id: edge.if.date, type: date, expr: "if(exists(penalties), max(penalties.decided_on), asof - 1)"}
          - {id: edge.if.literals, type: numeric, expr: "if(exists(penalties), 1.5, 0) + if(licence.held, 1, 0)"}
          - {id: edge.band.days, type: categorical, expr: "band(days_since(penalties), [0, 30, 365], ['future', '<30d', '30d-1y', '>=1y'])"}
          - {id: edge.days_since.removed, type: numeric, expr: days_since(abnormal_list.removed_on)}
          - {id: edge.avg.amount, type: numeric, expr: avg(penalties.amount within 3y)}
          - {id: edge.distinct.removed, type: numeric, expr: distinct(abnormal_list.removed_on)}
          - {id: edge.count.field, type: numeric, expr: count(abnormal_list.removed_on)}
          - {id: edge.exists.field, type: boolean, expr: exists(abnormal_list.removed_on within 2y)}
          - {id: edge.abs.month, type: numeric, expr: "abs(0 - sum(penalties.amount)) + month(reg.established_on) * 0.001"}
          - {id: edge.is_null.tag, type: boolean, expr: "edge.min.null is null or edge.latest.severity is not null"}
          - {id: edge.status_on, type: date, expr: reg.status_on}
          - {id: edge.planned.expiry, type: date, expr: max(licences.expires_on)}
          - {id: edge.substantiated.latest, type: boolean, expr: "latest(complaints.substantiated) == true"}
          - {id: edge.min.date.where, type: date, expr: "min(licences.issued_on where expires_on > asof + 30)"}
          - {id: edge.arith.null, type: numeric, expr: "max(penalties.amount) * 2 - 1"}
          - {id: edge.coalesce.category, type: categorical, expr: "coalesce(latest(penalties.severity), latest(abnormal_list.reason))"}
          - {id: edge.if.category, type: categorical, expr: "if(exists(penalties), latest(penalties.kind), 'warning')"}
          - {id: edge.section.in, type: boolean, expr: "section(reg.industry) in ['C', 'F']"}
          - {id: edge.city.of_tag, type: categorical, expr: "city(region.county)"}
          - {id: edge.peers.listed, type: numeric, expr: "peers_count(abnormal.listed)"}
          - {id: edge.peers.all, type: numeric, expr: "peers_count(true)"}
          - {id: edge.peers.compound, type: boolean, expr: "peers_count(abnormal.listed or penalty.count.3y > 0) >= 1 and not basic.age.new_1y"}
        """

    /// Makes the fixture in a new directory; returns the pipeline file and the input directory.
    static func make() throws -> (pipeline: String, input: String) {
        let root = TestPaths.temporaryDirectory("digitag-oracle-edge")
        let input = root + "/data"
        try OracleEnvironment.digitag(["generate", "--enterprises", "300", "--seed", "7", "--out", input])
        // Every tag of the catalog needs a name; the edge tags share one, added here to keep the list short.
        let named = tags.replacingOccurrences(of: "{id: ", with: "{name_zh: 边界, name_en: edge case, id: ")
        TestPaths.write(named, to: root, "edge-tags.yaml")
        let shipped = TestPaths.repo("Pipelines")
        TestPaths.write(
            """
            pipeline: edge-cases
            sources: \(shipped)/sources.yaml
            regions: \(shipped)/regions.csv
            industries: \(shipped)/industries.csv
            tags: [\(shipped)/tags, edge-tags.yaml]
            risk: \(shipped)/risk.yaml
            """, to: root, "pipeline.yaml")
        try writeRecords(input)
        return (root + "/pipeline.yaml", input)
    }

    /// The hand-made records, as extra part files beside the generated ones.
    private static func writeRecords(_ input: String) throws {
        // Columns in another order than the generator's, an extra column, a quoted comma and quote.
        TestPaths.write(
            """
            status_on,status,uscc,name,note,entity_type,legal_rep,legal_rep_id,registered_capital,established_on,industry,region,address
            2024-06-01,revoked,\(tied),边界一,extra,company,张三,\(person),100.5,2020-02-29,C13,370102,济南
            ,operating,\(late),边界二,extra,company,张三,\(person),50,2024-05-01,F52,370102,济南
            2023-01-01,cancelled,\(cancelled),"边界,三",extra,branch,张三,\(person),0,2019-03-31,A01,370103,"济南""市"

            """, to: input, "market/enterprises-edge.csv")
        // Two reports filed on one day (the larger value wins), lowercase flags, a report filed after 2024-02-29.
        TestPaths.write(
            """
            info_published,employees,uscc,report_year,filed_on,revenue,tax_paid
            n,5,\(tied),2022,2023-03-01,10,1
            y,9,\(tied),2021,2023-03-01,20,2
            N,1,\(tied),2023,2024-06-01,30,3
            Y,3,\(late),2023,2023-06-01,1,1

            """, to: input, "market/annual_reports-edge.csv")
        // Compressed, beside the generator's plain penalties.csv: severities tie on 2023-05-05 and 2020-01-01.
        let penalties = """
            uscc,case_no,decided_on,kind,severity,amount
            \(tied),E-1,2023-05-05,fine,general,100
            \(tied),E-2,2023-05-05,warning,serious,0
            \(tied),E-3,2020-01-01,fine,general,50.5
            \(tied),E-4,2020-01-01,fine,minor,50.25
            \(tied),E-5,2024-03-01,fine,serious,999
            \(late),E-6,2023-05-05,fine,serious,1

            """
        TestPaths.write(try ZstdCompressor.compress(Array(penalties.utf8)), to: input, "market/penalties-edge.csv.zst")
        // A removal after 2024-02-29 had not happened that night: still listed.
        TestPaths.write(
            """
            uscc,listed_on,reason,authority,removed_on
            \(tied),2022-01-01,unreachable,x,2024-12-01
            \(tied),2021-01-01,false_info,x,2021-06-01
            \(cancelled),2019-05-01,annual_report,x,

            """, to: input, "market/abnormal_list-edge.csv")
        // The latest rating has no score (an M rating often has none): latest(score) is empty, not the older 80;
        // the earliest has none either. `late` has two ratings published on one day, one without a score: the
        // score wins the tie (two years: the same year twice on one day would be one rating delivered twice).
        TestPaths.write(
            """
            uscc,rating_year,rating,score,published_on
            \(tied),2020,M,,2021-04-20
            \(tied),2021,B,80,2022-04-20
            \(tied),2022,A,95,2023-01-20
            \(tied),2023,M,,2023-04-20
            \(late),2022,M,,2024-06-01
            \(late),2023,C,61,2024-06-01

            """, to: input, "tax/ratings-edge.csv")
        // Expiries are planned: kept even when after the as-of date.
        TestPaths.write(
            """
            uscc,licence_type,issued_on,expires_on
            \(tied),food_business,2020-01-01,2030-01-01
            \(tied),drug_retail,2024-03-01,2029-01-01
            \(cancelled),drug_retail,2019-04-01,2024-03-15

            """, to: input, "market/licences-edge.csv")
    }

    /// A valid USCC from its first 17 characters (GB 32100-2015 check character).
    static func uscc(_ first17: String) -> String {
        let values = first17.utf8.map { byte in USCC.alphabet.firstIndex(of: byte) ?? 0 }
        return first17 + String(UnicodeScalar(USCC.alphabet[USCC.checkValue(values)]))
    }
}
