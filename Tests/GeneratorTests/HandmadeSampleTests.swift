import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Testing

/// The hand-made edge cases in `SampleData` match the table in `SampleData/README.md` exactly: every row
/// is listed at the line the CSV reader reports, accepted rows are valid and refer to registered
/// enterprises, and each rejected row fails in the field the table names, and only there.
@Suite struct HandmadeSampleTests {
    struct Expectation {
        var file: String
        var line: Int
        var accepted: Bool
        var field: String
    }

    struct ReadRow {
        var line: Int
        var fields: [String]
    }

    let expectations: [Expectation]
    let contract: SourceContract
    let check: FieldCheck

    init() throws {
        contract = try SourceContract(path: Fixture.path("Pipelines/sources.yaml"))
        check = try FieldCheck()
        var expectations: [Expectation] = []
        for line in try FileSystem.readText(Fixture.path("SampleData/README.md")).split(separator: "\n") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            // | file | line | outcome | field | reason |
            guard cells.count == 7, cells[1].hasSuffix("-handmade.csv"), let number = Int(cells[2]),
                cells[3] == "accepted" || cells[3] == "rejected"
            else { continue }
            expectations.append(
                Expectation(file: cells[1], line: number, accepted: cells[3] == "accepted", field: cells[4]))
        }
        self.expectations = expectations
    }

    private func source(of file: String) throws -> SourceContract.Source {
        let prefix = String(file.dropLast("-handmade.csv".count))
        return try #require(contract.sources.first { $0.files == prefix }, "no source reads \(file)")
    }

    private func rows(_ file: String) throws -> [ReadRow] {
        var rows: [ReadRow] = []
        var problems: [String] = []
        try CSVReader(path: Fixture.path("SampleData/" + file)).read(
            onRow: { rows.append(ReadRow(line: $0.line, fields: $0.strings)) },
            onSyntaxProblem: { problems.append("line \($0.line): \($0.message)") })
        #expect(problems.isEmpty, "\(file): \(problems)")
        return Array(rows.dropFirst())
    }

    @Test func tableListsEveryHandmadeRow() throws {
        #expect(expectations.count == 36)
        let files = Set(expectations.map(\.file))
        #expect(
            files == [
                "market/enterprises-handmade.csv", "market/penalties-handmade.csv", "tax/ratings-handmade.csv",
                "credit/lists-handmade.csv",
            ])
        for file in files {
            let lines = try rows(file).map(\.line)
            #expect(lines == expectations.filter { $0.file == file }.map(\.line), "\(file)")
        }
    }

    @Test func acceptedRowsAreValidAndRejectedRowsFailWhereTheTableSays() throws {
        var registered = Set(try Fixture.read(Fixture.path("SampleData/market/enterprises.csv")).rows.map { $0[0] })
        // Registration first, so that other sources may refer to the hand-made enterprises.
        let files = expectations.map(\.file).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        #expect(files.first == "market/enterprises-handmade.csv")
        for file in files {
            let source = try source(of: file)
            let header = try Fixture.read(Fixture.path("SampleData/" + file)).header
            #expect(header == source.fields.map(\.name), "\(file) header")
            let byLine = Dictionary(uniqueKeysWithValues: try rows(file).map { ($0.line, $0.fields) })
            for e in expectations where e.file == file {
                let fields = try #require(byLine[e.line], "\(file):\(e.line) is not the start of a row")
                let where_ = "\(file):\(e.line)"
                if e.field == "(row)" {
                    #expect(!e.accepted && fields.count != source.fields.count, "\(where_)")
                    continue
                }
                try #require(fields.count == source.fields.count, "\(where_): \(fields.count) fields")
                let failing = zip(source.fields, fields).compactMap { field, value in
                    check.problem(value, field) == nil ? nil : field.name
                }
                if e.accepted {
                    #expect(failing.isEmpty, "\(where_) should be accepted but fails in \(failing)")
                    if source.name == "registration" {
                        #expect(registered.insert(fields[0]).inserted, "\(where_) registers a USCC twice")
                    } else {
                        #expect(registered.contains(fields[0]), "\(where_) refers to an unregistered enterprise")
                    }
                } else {
                    #expect(failing == [e.field], "\(where_) should fail only in \(e.field), fails in \(failing)")
                    if e.field != "uscc" { #expect(USCC.isValid(fields[0]), "\(where_)") }
                }
            }
        }
    }

    @Test func registrationFileIsSavedAsExcelWould() throws {
        let data = try #require(
            FileManager.default.contents(atPath: Fixture.path("SampleData/market/enterprises-handmade.csv")))
        let bytes = [UInt8](data)
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]))
        let crlf = zip(bytes, bytes.dropFirst()).filter { $0 == 0x0D && $1 == 0x0A }.count
        let lf = bytes.filter { $0 == 0x0A }.count
        #expect(crlf == 11 && lf == 12, "CRLF ends for the header and 10 rows, one LF inside a quoted address")
    }
}
