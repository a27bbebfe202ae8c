import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
@testable import Generator
import Testing


/// Shared helpers: the repository's reference tables, generation into temporary directories, reading
/// generated files back with the project's CSV reader, and the field contract of `Pipelines/sources.yaml`.
enum Fixture {
    /// Tests/GeneratorTests/Fixture.swift → the repository root.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    static func path(_ relative: String) -> String { FileSystem.join(repositoryRoot, relative) }

    static let asOf = Day(year: 2024, month: 12, day: 31) ?? Day(0)

    static func options(enterprises: Int, seed: UInt64 = 20_241_231, into directory: String) throws -> GeneratorOptions
    {
        GeneratorOptions(
            enterprises: enterprises, seed: seed, outputDirectory: directory, asOf: asOf,
            regions: try ReferenceTable.load(path("Pipelines/regions.csv"), requiredColumns: ["code"]),
            industries: try ReferenceTable.load(path("Pipelines/industries.csv"), requiredColumns: ["code"]))
    }

    /// A fresh empty directory under the system's temporary directory.
    static func temporaryDirectory(_ label: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "digitag-generator-\(label)-\(UUID().uuidString)"
        ).path
        try FileSystem.createDirectory(dir)
        return dir
    }

    /// 2000 enterprises, generated once for all the tests that only read them.
    static let sample: Result<GeneratedSample, any Error> = Result {
        let dir = try temporaryDirectory("sample")
        let files = try DataGenerator.generate(try options(enterprises: 2000, into: dir))
        return GeneratedSample(directory: dir, files: files)
    }

    /// Reads a CSV file (plain or .zst) with the project's reader: header and rows as text.
    static func read(_ path: String) throws -> (header: [String], rows: [[String]]) {
        var header: [String]?
        var rows: [[String]] = []
        var problems: [String] = []
        try CSVReader(path: path).read(
            onRow: { row in
                if header == nil { header = row.strings } else { rows.append(row.strings) }
            },
            onSyntaxProblem: { problems.append("line \($0.line): \($0.message)") })
        #expect(problems.isEmpty, "\(path): \(problems.prefix(3))")
        return (header ?? [], rows)
    }
}

struct GeneratedSample: Sendable {
    let directory: String
    let files: [GeneratedFile]

    func read(_ relative: String) throws -> (header: [String], rows: [[String]]) {
        try Fixture.read(FileSystem.join(directory, relative))
    }

    /// The values of one column.
    func column(_ relative: String, _ name: String) throws -> [String] {
        let (header, rows) = try read(relative)
        let i = try #require(header.firstIndex(of: name), "\(relative) has no column \(name)")
        return rows.map { $0[i] }
    }
}
