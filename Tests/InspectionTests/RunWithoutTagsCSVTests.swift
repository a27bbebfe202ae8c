import DigiTagBase
import Foundation
import Inspection
import NightlyRun
import ProfileStore
import Query
import RunModel
import TestSupport
import Testing

/// A run that writes no tags.csv (provincial scale, `--tags-csv never`) is as usable as one that does: the draw
/// and the explanation read the profile store.
@Suite(.serialized) struct RunWithoutTagsCSVTests {
    static let bare: String = {
        let out = TestPaths.temporaryDirectory("runs-no-tags-csv")
        var options = RunOptions(
            pipeline: SampleFixture.pipeline, input: TestPaths.repo("SampleData"), asOf: Day(iso: "2024-12-31")!, output: out, threads: 2,
            shards: 3)
        options.tagsCSV = .never
        return try! Runner.run(options).runDirectory
    }()

    static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    @Test func writesNoTagsCSVAndSaysSoInItsManifest() throws {
        #expect(!FileManager.default.fileExists(atPath: Self.bare + "/tags.csv"))
        #expect(FileManager.default.fileExists(atPath: SampleFixture.run + "/tags.csv"), "auto writes it for SampleData")
        let manifest = try Manifest.read(Self.bare + "/manifest.json")
        #expect(!manifest.outputs.contains("tags.csv"))
        #expect(manifest.outputs.contains("store/"))
        #expect(try Manifest.read(SampleFixture.run + "/manifest.json").outputs.contains("tags.csv"))
        // The rest of the run is the same bytes (different shard counts change nothing).
        for file in ["classes.csv", "store/profile.dts", "tag_catalog.csv"] {
            #expect(Self.bytes(Self.bare + "/" + file) == Self.bytes(SampleFixture.run + "/" + file), "\(file)")
        }
        #expect(TagsCSVPolicy.auto.writes(enterprises: TagsCSVPolicy.autoLimit))
        #expect(!TagsCSVPolicy.auto.writes(enterprises: TagsCSVPolicy.autoLimit + 1))
    }

    @Test func drawsTheSameSampleAsFromARunWithTagsCSV() throws {
        let withCSV = try SampleRunner.run(SampleFixture.request(task: SampleRunnerGroupsTests.targeted))
        let without = try SampleRunner.run(SampleFixture.request(task: SampleRunnerGroupsTests.targeted, run: Self.bare))
        #expect(without.draw.storeSHA256 != nil)
        #expect(without.draw.storeSHA256 == withCSV.draw.storeSHA256)
        for file in ["plan.csv", "notice.csv", "ledger.csv"] {
            let a = Self.bytes(withCSV.draw.output + "/" + file)
            #expect(!a.isEmpty && a == Self.bytes(without.draw.output + "/" + file), "\(file)")
        }
        // Verification re-reads the store and finds it unchanged.
        let verdict = try SampleVerifier.verify(directory: without.draw.output, runDirectory: Self.bare)
        #expect(verdict.identical, "\(verdict.changedInputs) \(verdict.differences)")
    }

    @Test func explainsFromTheStore() throws {
        let uscc = try String(contentsOfFile: SampleFixture.run + "/classes.csv", encoding: .utf8)
            .split(separator: "\n")[7].split(separator: ",")[0]
        let a = try #require(try RiskExplanation.explain(uscc: String(uscc), run: Self.bare, definition: SampleFixture.definition))
        let b = try #require(try RiskExplanation.explain(uscc: String(uscc), run: SampleFixture.run, definition: SampleFixture.definition))
        #expect(a.finalClass == a.publishedClass)
        #expect(a.lines.map(\.value) == b.lines.map(\.value))
        #expect(a.score == b.score)
    }
}
