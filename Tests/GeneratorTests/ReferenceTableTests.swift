import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
@testable import Generator
import Testing


/// `Pipelines/regions.csv` and `Pipelines/industries.csv`: Shandong's 16 cities and 136 counties, and
/// the 97 divisions of GB/T 4754-2017.
@Suite struct ReferenceTableTests {
    @Test func regions() throws {
        let table = try ReferenceTable.load(
            Fixture.path("Pipelines/regions.csv"),
            requiredColumns: ["code", "name_zh", "city_code", "city_name_zh", "city_name_en"])
        #expect(table.header == ["code", "name_zh", "city_code", "city_name_zh", "city_name_en"])
        #expect(table.rows.count == 136)
        let codes = table.column("code")
        #expect(Set(codes).count == 136)
        let cities = Set(table.column("city_code"))
        #expect(
            cities == [
                "3701", "3702", "3703", "3704", "3705", "3706", "3707", "3708", "3709", "3710", "3711", "3713", "3714",
                "3715", "3716", "3717",
            ])
        for r in table.rows.indices {
            let row = table.record(r)
            let code = row["code"] ?? ""
            #expect(code.count == 6 && code.allSatisfy(\.isNumber))
            #expect(code.hasPrefix(row["city_code"] ?? "?"))
            #expect(["区", "县", "市"].contains { (row["name_zh"] ?? "").hasSuffix($0) })
        }
        let model = try RegionModel(table)
        #expect(model.counties.allSatisfy { $0.weight > 0 })
        #expect(model.counties.first { $0.code == "370102" }?.marketAuthority == "济南市历下区市场监督管理局")
        #expect(model.counties.first { $0.code == "370124" }?.basicCourt == "平阴县人民法院")
    }

    @Test func industries() throws {
        let table = try ReferenceTable.load(
            Fixture.path("Pipelines/industries.csv"), requiredColumns: ["code", "section", "name_zh", "name_en"])
        #expect(table.rows.count == 97)
        let codes = table.column("code")
        #expect(codes.map { Int($0.dropFirst()) ?? 0 } == Array(1...97))
        for r in table.rows.indices {
            let row = table.record(r)
            #expect(row["code"]?.hasPrefix(row["section"] ?? "?") == true)
        }
        #expect(Set(table.column("section")) == Set("ABCDEFGHIJKLMNOPQRST".map(String.init)))
        #expect(codes.contains("F51") && codes.contains("C13") && codes.contains("I65") && codes.contains("A01"))
    }

    @Test func badRegionCodesAreReported() throws {
        let table = ReferenceTable(
            path: "regions.csv", header: ["code", "name_zh", "city_code", "city_name_zh"],
            rows: [["37010X", "历下区", "3701", "济南市"]], lines: [2])
        #expect(throws: DiagnosticsError.self) { try RegionModel(table) }
    }
}
