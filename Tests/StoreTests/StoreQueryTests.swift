import DigiTagIO
import Foundation
import ProfileStore
import Query
import Testing

@Suite("Queries over the profile store")
struct StoreQueryTests {
    /// A fresh query each time: `StoreQuery` owns a reader, which is not shared between threads.
    static var query: StoreQuery { try! StoreQuery(reader: try! StoreReader(run: StoreFixture.run), definition: StoreFixture.definition) }

    /// USCCs (in order) for which a brute-force predicate over the run's CSV values holds.
    static func bruteForce(_ predicate: ([String: String]) -> Bool) -> [String] {
        StoreFixture.records.filter(predicate).map { $0["uscc"]! }
    }

    static func matches(_ expression: String) throws -> [String] {
        let q = query
        let reader = q.reader
        let usccColumn = try reader.column("uscc")
        return try q.matches(expression).map { try reader.formatted(column: usccColumn, ordinal: $0) }
    }

    static func number(_ r: [String: String], _ id: String) -> Double? { r[id].flatMap { $0.isEmpty ? nil : Double($0) } }

    /// A numeric tag that is empty for some enterprises and not for others.
    static let nullableNumeric: String = {
        let records = StoreFixture.records
        return StoreFixture.definition.catalog.tags.first { t in
            t.definition.kind == .numeric && records.contains { $0[t.id] == "" } && records.contains { $0[t.id] != "" }
        }!.id
    }()

    @Test("query results equal a brute-force evaluation over tags.csv and classes.csv")
    func bruteForceAgreement() throws {
        let x = Self.nullableNumeric
        let cases: [(String, ([String: String]) -> Bool)] = [
            ("abnormal.listed", { $0["abnormal.listed"] == "1" }),
            (
                "abnormal.listed and tax.rating in ['C','D'] and not inspection.any.1y",
                { $0["abnormal.listed"] == "1" && ["C", "D"].contains($0["tax.rating"]!) && $0["inspection.any.1y"] == "0" }
            ),
            ("tax.rating is null", { $0["tax.rating"] == "" }),
            ("tax.rating != 'A'", { $0["tax.rating"] != "" && $0["tax.rating"] != "A" }),
            ("class == 'D' or score >= 30", { $0["classes.class"] == "D" || Double($0["classes.score"]!)! >= 30 }),
            ("class in ['C', 'D'] and region.city == '3702'", { ["C", "D"].contains($0["classes.class"]!) && $0["region.city"] == "3702" }),
            ("city == '3701' and reg.registered_capital >= 100", {
                $0["classes.city"] == "3701" && (Self.number($0, "basic.capital.amount") ?? -1) >= 100
            }),
            ("\(x) > 1", { (Self.number($0, x) ?? -.infinity) > 1 }),
            ("not (\(x) > 1)", { !((Self.number($0, x) ?? -.infinity) > 1) }),
            ("\(x) is null", { $0[x] == "" }),
            ("\(x) is not null and \(x) * 2 <= 4", { (Self.number($0, x).map { $0 * 2 <= 4 }) ?? false }),
            ("score > 100000", { _ in false }),
            ("score >= 0 or score < 0", { _ in true }),
        ]
        var sizes: [Int] = []
        for (expression, predicate) in cases {
            let expected = Self.bruteForce(predicate)
            let got = try Self.matches(expression)
            #expect(got == expected, "\(expression): \(got.count) vs \(expected.count)")
            #expect(try Self.query.count(expression) == expected.count, "\(expression)")
            sizes.append(expected.count)
        }
        // The set covers empty, full and in-between results.
        #expect(sizes.contains(0))
        #expect(sizes.contains(StoreFixture.records.count))
        #expect(sizes.contains { $0 > 0 && $0 < StoreFixture.records.count })
    }

    @Test("group counts add up to the count and match a brute-force tally")
    func groupCounts() throws {
        let table = try Self.query.groupCounts("abnormal.listed", by: ["class", "city"])
        var expected: [[String]: Int] = [:]
        for r in StoreFixture.records where r["abnormal.listed"] == "1" { expected[[r["classes.class"]!, r["classes.city"]!], default: 0] += 1 }
        var got: [[String]: Int] = [:]
        // --by city adds the city's name beside its code (issue 14).
        #expect(table.header == ["class", "city", "city_name", "count"])
        for row in table.rows { got[Array(row.prefix(2))] = Int(row[3]) }
        #expect(got == expected)
    }

    @Test("a list shows the requested columns as the CSV files wrote them")
    func list() throws {
        let table = try Self.query.list("class == 'D'", columns: ["class", "score", "tax.rating", "abnormal.listed"])
        let expected = StoreFixture.records.filter { $0["classes.class"] == "D" }
        #expect(table.header == ["uscc", "name", "class", "score", "tax.rating", "abnormal.listed"])
        #expect(table.rows.count == expected.count)
        for (row, r) in zip(table.rows, expected) {
            #expect(row == [r["uscc"]!, r["classes.name"]!, "D", r["classes.score"]!, r["tax.rating"]!, r["abnormal.listed"]!])
        }
    }

    @Test("parse and type errors point at their column")
    func errors() throws {
        func error(_ expression: String) -> QueryError? {
            do {
                _ = try Self.query.count(expression)
                return nil
            } catch { return error as? QueryError }
        }
        let typo = try #require(error("abnormal.listed and tax.ratng == 'D'"))
        #expect(typo.offset == 20)
        #expect(typo.hint == "did you mean 'tax.rating'?")
        #expect(typo.description.contains("\n" + String(repeating: " ", count: 22) + "^"))
        let value = try #require(error("class == 'E'"))
        #expect(value.offset == 9)
        let syntax = try #require(error("abnormal.listed and and"))
        #expect(syntax.offset == 20)
        let aggregate = try #require(error("abnormal.listed and count(penalties) > 1"))
        #expect(aggregate.offset == 20)
        #expect(aggregate.message.contains("records"))
        let notBoolean = try #require(error("score + 1"))
        #expect(notBoolean.message.contains("condition"))
        // Wide characters count two columns for the caret.
        let wide = QueryError(expression: "tax.rating == '甲' and x", offset: 22, message: "m")
        #expect(wide.description.contains("\n" + String(repeating: " ", count: 2 + 23) + "^"))
        #expect(TextTable.displayWidth("济南市ab") == 8)
    }
}
