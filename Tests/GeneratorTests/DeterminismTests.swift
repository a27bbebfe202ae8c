import DigiTagBase
import Foundation
import Testing

@testable import Generator

/// The same options must give byte-identical files, and an enterprise's records must not depend on how
/// many enterprises are generated.
@Suite struct DeterminismTests {
    @Test func sameOptionsGiveIdenticalBytes() throws {
        let first = try Fixture.temporaryDirectory("det-a")
        let second = try Fixture.temporaryDirectory("det-b")
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        let a = try DataGenerator.generate(try Fixture.options(enterprises: 200, into: first))
        let b = try DataGenerator.generate(try Fixture.options(enterprises: 200, into: second))
        #expect(a == b)
        for file in a {
            let x = FileManager.default.contents(atPath: FileSystem.join(first, file.path))
            let y = FileManager.default.contents(atPath: FileSystem.join(second, file.path))
            #expect(x != nil)
            #expect(x == y, "\(file.path) differs between two runs with the same options")
        }
    }

    @Test func anotherSeedGivesOtherData() throws {
        let first = try Fixture.temporaryDirectory("seed-a")
        let second = try Fixture.temporaryDirectory("seed-b")
        defer {
            try? FileManager.default.removeItem(atPath: first)
            try? FileManager.default.removeItem(atPath: second)
        }
        _ = try DataGenerator.generate(try Fixture.options(enterprises: 50, seed: 1, into: first))
        _ = try DataGenerator.generate(try Fixture.options(enterprises: 50, seed: 2, into: second))
        let x = try Fixture.read(FileSystem.join(first, "market/enterprises.csv")).rows
        let y = try Fixture.read(FileSystem.join(second, "market/enterprises.csv")).rows
        #expect(x != y)
    }

    /// Enterprise i's rows are the same whether 100 or 300 enterprises are generated.
    @Test func enterpriseRecordsDoNotDependOnCount() throws {
        let small = try Fixture.temporaryDirectory("n100")
        let large = try Fixture.temporaryDirectory("n300")
        defer {
            try? FileManager.default.removeItem(atPath: small)
            try? FileManager.default.removeItem(atPath: large)
        }
        _ = try DataGenerator.generate(try Fixture.options(enterprises: 100, into: small))
        _ = try DataGenerator.generate(try Fixture.options(enterprises: 300, into: large))
        for file in OutputFile.allCases {
            let a = try Fixture.read(FileSystem.join(small, file.path)).rows
            let b = try Fixture.read(FileSystem.join(large, file.path)).rows
            #expect(Array(b.prefix(a.count)) == a, "\(file.path): the first 100 enterprises' rows changed")
        }
    }

    @Test func progressReportsTheFinalCount() throws {
        let dir = try Fixture.temporaryDirectory("progress")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var seen: [Int] = []
        _ = try DataGenerator.generate(try Fixture.options(enterprises: 2500, into: dir)) { seen.append($0) }
        #expect(seen == [1000, 2000, 2500])
    }

    @Test func zeroEnterprisesWritesHeadersOnly() throws {
        let dir = try Fixture.temporaryDirectory("empty")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files = try DataGenerator.generate(try Fixture.options(enterprises: 0, into: dir))
        for file in files where file.path != InspectorFile.path { #expect(file.rows == 0, "\(file.path)") }
        #expect(files.last?.rows == 40)
    }
}
