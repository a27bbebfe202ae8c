import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
@testable import Generator
import Testing


/// `inspectors.csv`: one inspector per 8 enterprises, in pairs per county, valid items and conflicts.
@Suite struct InspectorTests {
    @Test func directoryShape() throws {
        let sample = try Fixture.sample.get()
        let (header, rows) = try sample.read(InspectorFile.path)
        #expect(header == ["inspector_id", "name", "department", "region", "items", "max_load", "conflicts"])
        #expect(rows.count == 250)
        let regions = Set(
            try ReferenceTable.load(Fixture.path("Pipelines/regions.csv"), requiredColumns: ["code"]).column("code"))
        let enterprises = Set(try sample.column("market/enterprises.csv", "uscc"))
        let marketItems = Set(InspectionItem.allCases.map(\.rawValue))
        #expect(Set(rows.map { $0[0] }).count == rows.count, "inspector ids are unique")
        var conflicts = 0
        for row in rows {
            #expect(row[2] == "market" || row[2] == "tax")
            #expect(regions.contains(row[3]))
            let items = row[4].split(separator: ";").map(String.init)
            if row[2] == "market" {
                #expect((2...5).contains(items.count) && items.allSatisfy(marketItems.contains), "\(row)")
            } else {
                #expect(items == ["tax_compliance"])
            }
            #expect((3...15).contains(Int(row[5]) ?? 0))
            for code in row[6].split(separator: ";") {
                #expect(enterprises.contains(String(code)), "conflict with unknown \(code)")
                conflicts += 1
            }
        }
        #expect(conflicts > 0)
        #expect(
            Set(rows.flatMap { $0[4].split(separator: ";").map(String.init) }) == marketItems.union(["tax_compliance"]))
    }

    @Test func pairsGoToTheLargestCountiesFirst() {
        let few = InspectorDirectory.allocate(4, weights: [1, 3, 2])
        #expect(few == [0, 2, 2])
        let many = InspectorDirectory.allocate(20, weights: [1, 3, 2])
        #expect(many.reduce(0, +) == 20 && many.allSatisfy { $0 >= 2 && $0 % 2 == 0 })
        #expect(many[1] > many[0])
        let odd = InspectorDirectory.allocate(5, weights: [1, 3, 2])
        #expect(odd == [0, 3, 2])
        #expect(InspectorDirectory.count(enterprises: 10) == 40)
        #expect(InspectorDirectory.count(enterprises: 100_000) == 12_500)
    }
}
