import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
@testable import Generator
import Testing


/// USCCs are valid (GB 32100) and unique; every record refers to a registered enterprise; people
/// represent one to five enterprises.
@Suite struct IdentityTests {
    @Test func usccsAreValidAndUnique() throws {
        let sample = try Fixture.sample.get()
        let (header, rows) = try sample.read("market/enterprises.csv")
        let uscc = try #require(header.firstIndex(of: "uscc"))
        let region = try #require(header.firstIndex(of: "region"))
        let type = try #require(header.firstIndex(of: "entity_type"))
        var seen = Set<String>()
        for row in rows {
            let code = row[uscc]
            #expect(USCC.isValid(code), "\(code)")
            #expect(seen.insert(code).inserted, "duplicate \(code)")
            #expect(code.hasPrefix("9"), "registration authority of \(code)")
            #expect(code.dropFirst(2).prefix(6) == row[region].prefix(6), "county code in \(code)")
            #expect(
                code.dropFirst().first == (row[type] == "individual_business" ? "2" : "1"), "entity type of \(code)")
        }
        #expect(seen.count == 2000)
    }

    @Test func organisationCodesAreUniqueOverALargeRange() {
        var seen = Set<String>()
        for index in stride(from: 0, to: 2_000_000, by: 97) {
            let code = OrganisationCode.uscc(index: index, entityType: .company, countyCode: "370102", seed: 7)
            #expect(seen.insert(code).inserted)
        }
    }

    @Test func everyRecordRefersToARegisteredEnterprise() throws {
        let sample = try Fixture.sample.get()
        let registered = Set(try sample.column("market/enterprises.csv", "uscc"))
        for file in OutputFile.allCases where file != .enterprises {
            let unknown = Set(try sample.column(file.path, "uscc")).subtracting(registered)
            #expect(unknown.isEmpty, "\(file.path) refers to \(unknown.prefix(3))")
        }
    }

    @Test func someRepresentativesHaveSeveralEnterprises() throws {
        let sample = try Fixture.sample.get()
        let ids = try sample.column("market/enterprises.csv", "legal_rep_id")
        var perPerson: [String: Int] = [:]
        for id in ids { perPerson[id, default: 0] += 1 }
        let multi = Double(perPerson.values.filter { $0 > 1 }.count) / Double(perPerson.count)
        #expect(multi > 0.05 && multi < 0.2, "share of people with several enterprises: \(multi)")
        #expect(perPerson.values.allSatisfy { $0 <= LegalRepresentative.maxGroup })
        #expect(ids.allSatisfy { $0.count == 11 && $0.hasPrefix("P") })
    }

    @Test func personIDsAreUniquePerLeader() {
        var seen = Set<String>()
        for leader in stride(from: 0, to: 5_000_000, by: 331) {
            #expect(seen.insert(LegalRepresentative.personID(leader: leader, seed: 1)).inserted)
        }
    }
}
