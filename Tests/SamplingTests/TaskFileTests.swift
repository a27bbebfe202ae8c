import DigiTagBase
import Foundation
import Sampling
import Testing
import TestSupport

@Suite struct TaskFileTests {
    static let full = """
        id: SD-T-1
        name_zh: 测试任务
        seed: {published_on: 2025-01-15, nonce: "abc123"}
        items: [annual_report, tax_compliance]
        scope:
          regions: ["3701", "370202"]
          industries: [C, F51]
          entity_types: [company]
          where: "basic.status.operating"
        exclude_inspected_within_months: 12
        strata: [class, city]
        ratios: {A: 1.4%, B: 0.03, C: 10%, D: 1}
        rounding: largest_remainder
        min_per_stratum: 1
        max_per_stratum: 40
        inspectors:
          per_department: 3
          pool: [county, city, province]
          avoid_same_county: true
          max_load: 7
        """

    @Test func readsEveryField() throws {
        let t = try SamplingTask.load(text: Self.full, file: "t.yaml")
        #expect(t.id == "SD-T-1")
        #expect(t.seed?.text == "2025-01-15:abc123")
        #expect(t.items == ["annual_report", "tax_compliance"])
        #expect(t.scope.map(\.name) == ["regions", "industries", "entity_types", "where"])
        #expect(t.scope[0].expression == "region in ['370202'] or city in ['3701']")
        #expect(t.scope[1].expression == "basic.industry.section in ['C'] or basic.industry.division in ['F51']")
        #expect(t.excludeInspectedWithinMonths == 12)
        #expect(t.strata == ["class", "city"])
        #expect(t.exactRatios["A"]?.description == "0.014" && t.exactRatios["D"] == .one)
        #expect(t.rounding == .largestRemainder)
        #expect(t.minimumPerStratum == 1 && t.maximumPerStratum == 40)
        #expect(t.inspection == InspectionRules(perDepartment: 3, pool: [.county, .city, .province], avoidSameCounty: true, maxLoad: 7))
        // The where clause's offsets map to columns of the file (after the opening quote).
        #expect(t.scope[3].location(ofOffset: 6) == SourceLocation(file: "t.yaml", line: 9, column: 17))
    }

    @Test func defaultsAreClassByCountyAndTheProvincesRatios() throws {
        let t = try SamplingTask.load(text: "id: X\nitems: [annual_report]\n", file: "t.yaml")
        #expect(t.strata == ["class", "county"])
        #expect(t.exactRatios.mapValues(\.description) == ["A": "0.014", "B": "0.03", "C": "0.1", "D": "0.1"])
        #expect(t.rounding == .keyed)
        #expect(t.seed == nil)
        #expect(t.inspection == InspectionRules(perDepartment: 2, pool: [.city, .province], avoidSameCounty: false, maxLoad: nil))
    }

    @Test func reportsEveryProblemWithItsPlace() {
        let text = """
            id: X/Y
            item: [annual_report]
            seed: {published_on: 2025-13-01, nonce: ""}
            strata: [county, townn]
            ratios: {A: 0, B: 1.5, C: abc}
            rounding: nearest
            scope:
              regions: [37010]
              industries: [c13]
              wher: "x"
            inspectors:
              per_department: 1
              pool: [province, city]
            """
        do {
            _ = try SamplingTask.load(text: text, file: "bad.yaml")
            Issue.record("expected errors")
        } catch {
            let all = error.description
            for expected in [
                "bad.yaml:2:1: error: unknown key 'item' in the task (did you mean 'items'?)",
                "the task id 'X/Y' must be letters, digits",
                "missing the required key 'items'",
                "published_on must be a date",
                "unknown stratum key 'townn'",
                "strata must include 'class'",
                "ratio for class A must be above 0",
                "ratio for class B",
                "ratio for class C",
                "unknown rounding 'nearest'",
                "region '37010' must be a county code",
                "industry 'c13'",
                "unknown key 'wher' in the scope (did you mean 'where'?)",
                "per_department must be at least 2",
                "pool must list distinct levels from nearest to farthest",
            ] {
                #expect(all.contains(expected), "missing: \(expected)\nin:\n\(all)")
            }
        }
    }

    @Test func everyShippedTaskLoadsAndNamesListedItems() throws {
        let items = try ItemList.load(TestPaths.repo("Pipelines/items.csv"))
        let dir = TestPaths.repo("Pipelines/tasks")
        let files = FileSystem.list(dir).filter { $0.hasSuffix(".yaml") }
        #expect(files.count >= 3)
        var ids = Set<String>()
        for f in files {
            let task = try SamplingTask.load(path: dir + "/" + f)
            #expect(ids.insert(task.id).inserted, "duplicate task id \(task.id)")
            #expect(task.seed != nil, "\(f) records no seed")
            _ = try items.resolve(task)
        }
    }

    @Test func unknownItemIsReportedAtItsPlace() throws {
        let items = try ItemList.load(TestPaths.repo("Pipelines/items.csv"))
        let task = try SamplingTask.load(text: "id: X\nitems: [annual_report, anual_report]\n", file: "t.yaml")
        let error = try #require(throws: DiagnosticsError.self) { try items.resolve(task) }
        #expect(error.description.contains("t.yaml:2:24: error: 'anual_report' is not on the inspection item list"))
        #expect(error.description.contains("did you mean 'annual_report'?"))
    }

    @Test func itemListHoldsTheInspectionEnumAndTaxItems() throws {
        let items = try ItemList.load(TestPaths.repo("Pipelines/items.csv"))
        let sources = try String(contentsOfFile: TestPaths.repo("Pipelines/sources.yaml"), encoding: .utf8)
        // The values of inspections.item in sources.yaml.
        let line = sources.split(separator: "\n").first { $0.contains("item: {type: enum") }!
        let values = line.split(separator: "[")[1].split(separator: "]")[0].split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        #expect(values.count == 8)
        for v in values { #expect(items.item(v)?.department == "market", "\(v)") }
        #expect(items.item("tax_compliance")?.department == "tax")
        #expect(items.items.allSatisfy { !$0.legalBasis.isEmpty && !$0.nameZh.isEmpty })
        #expect(items.departmentNames == ["market": "市场监管部门", "tax": "税务部门"])
    }

    @Test func ticketsRecomputeWithSha256sum() throws {
        // The enterprise ticket and the inspector ticket, as the docs tell a regulator to recompute them.
        let seed = TaskSeed.published(on: Day(iso: "2025-01-15")!, nonce: "b41f0c7e").text!
        #expect(seed == "2025-01-15:b41f0c7e")
        let t = Ticket(seed: seed, task: "SD-2025-GEN-01", uscc: "9137010359YLCCK6H8")
        let i = Ticket(fields: [seed, "SD-2025-GEN-01", "9137010359YLCCK6H8", "M370112002"])
        #expect(Ticket(extending: Ticket.prefix([seed, "SD-2025-GEN-01", "9137010359YLCCK6H8"]), with: "M370112002") == i)
        #expect(try shell("printf '%s\\037%s\\037%s' '\(seed)' SD-2025-GEN-01 9137010359YLCCK6H8 | sha256sum").hasPrefix(t.hex))
        #expect(
            try shell("printf '%s\\037%s\\037%s\\037%s' '\(seed)' SD-2025-GEN-01 9137010359YLCCK6H8 M370112002 | sha256sum").hasPrefix(i.hex))
        #expect(t.uniform == Double(UInt64(t.hex.prefix(16), radix: 16)! >> 11) / 9_007_199_254_740_992)
    }

    func shell(_ command: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", command]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        p.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }
}

@Suite struct DirectoryFileTests {
    @Test func inspectorDirectoryProblemsAreReportedWithLines() {
        let dir = TestPaths.temporaryDirectory("roster")
        let path = TestPaths.write(
            """
            inspector_id,name,department,region,items,max_load,conflicts
            M1,甲,market,370102,annual_report;pricing,5,
            M1,乙,market,370102,annual_report,5,
            M2,丙,market,999999,annual_report,5,
            M3,丁,market,370102,annual_report,many,
            M4,戊,market,370102,annual_report,3,NOTAUSCC

            """, to: dir, "inspectors.csv")
        do {
            _ = try InspectorRoster.load(path, cityOfCounty: ["370102": "3701"])
            Issue.record("expected errors")
        } catch {
            let text = "\(error)"
            #expect(text.contains("inspectors.csv:3: error: inspector 'M1' is listed twice"))
            #expect(text.contains("inspectors.csv:4: error: region '999999'"))
            #expect(text.contains("inspectors.csv:5: error: max_load of 'M3'"))
            #expect(text.contains("inspectors.csv:6: error: conflict 'NOTAUSCC'"))
        }
    }

    @Test func historyKeepsTheLastInspectionUpToTheAsOfDate() throws {
        let a = Fixtures.uscc(1)
        let b = Fixtures.uscc(2)
        let dir = TestPaths.temporaryDirectory("history")
        let path = TestPaths.write(
            """
            uscc,inspected_on,inspector_id
            \(a),2023-05-01,M1
            \(a),2023-05-01,M2
            \(a),2024-06-01,M3
            \(a),2024-06-01,M4
            \(a),2025-02-01,M5
            \(b),2022-01-01,M6

            """, to: dir, "inspection_history.csv")
        let h = try InspectionHistory.load(path, asOf: Day(iso: "2024-12-31")!)
        #expect(h.lastInspectors[a] == ["M3", "M4"])
        #expect(h.lastInspectors[b] == ["M6"])
        let early = try InspectionHistory.load(path, asOf: Day(iso: "2023-12-31")!)
        #expect(early.lastInspectors[a] == ["M1", "M2"])
    }
}
