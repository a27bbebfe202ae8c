import DigiTagBase
import Foundation
import Testing

@testable import Generator

/// The generated population looks like a province's: shares of legal forms, statuses, listings and
/// ratings within plausible bounds, and a few percent of records after the as-of date.
@Suite struct DistributionTests {
    let asOf = "2024-12-31"

    private func share(_ values: [String], _ predicate: (String) -> Bool) -> Double {
        Double(values.filter(predicate).count) / Double(max(1, values.count))
    }

    @Test func registrationShares() throws {
        let sample = try Fixture.sample.get()
        let status = try sample.column("market/enterprises.csv", "status")
        #expect((0.88...0.97).contains(share(status) { $0 == "operating" }))
        #expect((0.01...0.06).contains(share(status) { $0 == "revoked" }))
        #expect((0.02...0.07).contains(share(status) { $0 == "cancelled" }))
        let types = try sample.column("market/enterprises.csv", "entity_type")
        #expect((0.6...0.8).contains(share(types) { $0 == "company" }))
        let established = try sample.column("market/enterprises.csv", "established_on")
        let recent = share(established) { $0 > "2022-12-31" && $0 <= asOf }
        #expect((0.06...0.16).contains(recent), "established in the last two years: \(recent)")
        let regions = Set(try sample.column("market/enterprises.csv", "region"))
        #expect(regions.count == 136)
        let capital = try sample.column("market/enterprises.csv", "registered_capital").compactMap(Double.init)
        #expect(capital.contains { $0 > 10_000 })
    }

    @Test func statusDateOnlyWhenNotOperating() throws {
        let sample = try Fixture.sample.get()
        let (header, rows) = try sample.read("market/enterprises.csv")
        let status = try #require(header.firstIndex(of: "status"))
        let on = try #require(header.firstIndex(of: "status_on"))
        let established = try #require(header.firstIndex(of: "established_on"))
        for row in rows {
            #expect((row[status] == "operating") == row[on].isEmpty)
            if !row[on].isEmpty { #expect(row[on] > row[established] && row[on] <= asOf) }
        }
    }

    @Test func abnormalListAndRatings() throws {
        let sample = try Fixture.sample.get()
        let n = 2000.0
        let (ah, abnormal) = try sample.read("market/abnormal_list.csv")
        let listed = try #require(ah.firstIndex(of: "listed_on"))
        let removed = try #require(ah.firstIndex(of: "removed_on"))
        let uscc = 0
        let current = Set(
            abnormal.filter { $0[listed] <= asOf && ($0[removed].isEmpty || $0[removed] > asOf) }.map { $0[uscc] })
        #expect((0.02...0.15).contains(Double(current.count) / n), "currently listed: \(current.count)")
        let removedShare = share(abnormal.map { $0[removed] }) { !$0.isEmpty }
        // Listings of operating enterprises are mostly lifted (the late report filed, contact restored);
        // dormancy listings rarely are.
        #expect((0.5...0.95).contains(removedShare), "share of listings removed: \(removedShare)")

        let (rh, ratings) = try sample.read("tax/ratings.csv")
        let year = try #require(rh.firstIndex(of: "rating_year"))
        let rating = try #require(rh.firstIndex(of: "rating"))
        let published = try #require(rh.firstIndex(of: "published_on"))
        var latest: [String: (String, String, String)] = [:]
        for r in ratings where r[published] <= asOf {
            let key = (r[year], r[published], r[rating])
            if let old = latest[r[uscc]], (old.0, old.1) >= (key.0, key.1) { continue }
            latest[r[uscc]] = key
        }
        let d = Double(latest.values.filter { $0.2 == "D" }.count) / n
        let a = Double(latest.values.filter { $0.2 == "A" }.count) / n
        #expect((0.005...0.06).contains(d), "latest rating D: \(d)")
        #expect((0.05...0.35).contains(a), "latest rating A: \(a)")

        let lists = try sample.read("credit/lists.csv").rows
        let serious = Set(
            lists.filter { $0[1] == "serious_dishonest" && $0[4] <= asOf && ($0[5].isEmpty || $0[5] > asOf) }.map {
                $0[0]
            })
        #expect((0.002...0.03).contains(Double(serious.count) / n), "on the serious list: \(serious.count)")
    }

    @Test func ratingScoresFollowTheBands() throws {
        let sample = try Fixture.sample.get()
        for row in try sample.read("tax/ratings.csv").rows {
            let score = Double(row[3])
            switch row[2] {
            case "A": #expect(score.map { $0 >= 90 } == true)
            case "B": #expect(score.map { $0 >= 70 && $0 < 90 } == true)
            case "C": #expect(score.map { $0 >= 40 && $0 < 70 } == true)
            case "D": #expect(score.map { $0 < 40 } == true)
            default: #expect(row[3].isEmpty, "M has no score")
            }
        }
    }

    @Test func annualReportsAreMostlyOnTime() throws {
        let sample = try Fixture.sample.get()
        let rows = try sample.read("market/annual_reports.csv").rows
        let late = Double(rows.filter { $0[2] > "\((Int($0[1]) ?? 0) + 1)-06-30" }.count) / Double(rows.count)
        #expect((0.04...0.16).contains(late), "late annual reports: \(late)")
        #expect(rows.allSatisfy { $0[2] > "\($0[1])-12-31" && $0[2] <= "\((Int($0[1]) ?? 0) + 1)-12-31" })
    }

    @Test func licencesRunFiveYears() throws {
        let sample = try Fixture.sample.get()
        for row in try sample.read("market/licences.csv").rows {
            let issued = try #require(Day(iso: row[2]))
            #expect(row[3] == issued.addingYears(5).description)
        }
    }

    @Test func aFewRecordsLieAfterTheAsOfDate() throws {
        let sample = try Fixture.sample.get()
        let horizon = "2025-03-31"
        let events: [(String, String)] = [
            ("market/annual_reports.csv", "filed_on"), ("market/abnormal_list.csv", "listed_on"),
            ("market/penalties.csv", "decided_on"), ("market/inspections.csv", "inspected_on"),
            ("market/licences.csv", "issued_on"), ("market/complaints.csv", "received_on"),
            ("tax/arrears.csv", "arose_on"), ("tax/violations.csv", "decided_on"),
            ("credit/commitments.csv", "made_on"), ("credit/repairs.csv", "repaired_on"),
            ("credit/lists.csv", "listed_on"), ("tax/filings.csv.zst", "due_on"),
        ]
        for (file, column) in events {
            let dates = try sample.column(file, column)
            let after = share(dates) { $0 > asOf }
            #expect(after > 0.002 && after < 0.15, "\(file): \(after) after the as-of date")
            #expect(dates.allSatisfy { $0 <= horizon }, "\(file): beyond 90 days after the as-of date")
        }
        let established = try sample.column("market/enterprises.csv", "established_on")
        #expect(established.contains { $0 > asOf })
    }

    @Test func filingsCoverTwoYearsAndAreMostlyOnTime() throws {
        let sample = try Fixture.sample.get()
        let (header, rows) = try sample.read("tax/filings.csv.zst")
        let period = try #require(header.firstIndex(of: "period"))
        let due = try #require(header.firstIndex(of: "due_on"))
        let filed = try #require(header.firstIndex(of: "filed_on"))
        let periods = Set(rows.map { $0[period] })
        #expect(periods.min() == "2023-01" && periods.max() == "2025-02")
        let missing = share(rows.map { $0[filed] }) { $0.isEmpty }
        let late = Double(rows.filter { !$0[filed].isEmpty && $0[filed] > $0[due] }.count) / Double(rows.count)
        #expect((0.005...0.1).contains(missing), "missing returns: \(missing)")
        #expect((0.005...0.1).contains(late), "late returns: \(late)")
        #expect(rows.allSatisfy { $0[due].hasSuffix("-15") })
        let perEnterprise = Double(rows.count) / 2000
        #expect((40...80).contains(perEnterprise), "returns per enterprise: \(perEnterprise)")
    }

    /// A removal, clearance, breach or expiry never precedes the event it ends.
    @Test func laterDatesFollowEarlierOnes() throws {
        let sample = try Fixture.sample.get()
        let pairs: [(String, String, String)] = [
            ("market/abnormal_list.csv", "listed_on", "removed_on"), ("market/licences.csv", "issued_on", "expires_on"),
            ("tax/arrears.csv", "arose_on", "cleared_on"), ("credit/dishonest_debtors.csv", "listed_on", "removed_on"),
            ("credit/lists.csv", "listed_on", "removed_on"), ("credit/commitments.csv", "made_on", "breached_on"),
        ]
        for (file, start, end) in pairs {
            let (header, rows) = try sample.read(file)
            let s = try #require(header.firstIndex(of: start))
            let e = try #require(header.firstIndex(of: end))
            let wrong = rows.filter { !$0[e].isEmpty && $0[e] <= $0[s] }
            #expect(wrong.isEmpty, "\(file): \(end) not after \(start) in \(wrong.prefix(2))")
        }
    }
}
