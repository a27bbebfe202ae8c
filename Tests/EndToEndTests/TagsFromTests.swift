import DataContract
import DigiTagBase
import Foundation
import ProfileStore
import TestSupport
import Testing

/// `digitag run --tags-from DIR`: tags computed elsewhere (the Spark job) are scored and published as the
/// engine's own would be.
///
/// The tags directory is made here from a native run's profile store, which holds every tag value exactly,
/// written as the Spark job writes it (parts in USCC order with a header each, numbers in full precision,
/// a manifest). A run from it must publish the same classes, tags, store and sample, byte for byte; a
/// directory made with another pipeline or as of another date is refused before anything is published.
@Suite(.serialized) struct TagsFromTests {
    static let asOf = "2024-12-31"
    static let native: (dir: String, result: CLI.Result) = try! CLI.runPipeline(asOf: asOf)
    static let tagsDirectory: String = try! makeTagsDirectory(run: native.dir)

    /// Writes the native run's tags as `spark/digitag_tags.py` would: three parts split by USCC range.
    static func makeTagsDirectory(run: String) throws -> String {
        let dir = TestPaths.temporaryDirectory("tags-from")
        try FileManager.default.createDirectory(atPath: dir + "/tags", withIntermediateDirectories: true)
        let store = try StoreReader(path: run + "/store/profile.dts")
        let manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/manifest.json"))) as! [String: Any]
        let tagIDs = store.meta.tags.map(\.id)
        let columns = try tagIDs.map { try store.column($0) }
        var rows: [String] = []
        for g in 0..<store.groupCount {
            let keys = try store.keys(group: g)
            let values = try columns.map { try store.numbers(column: $0, group: g) }
            for (i, key) in keys.enumerated() {
                var fields = [USCC.text(key)]
                for (t, c) in columns.enumerated() {
                    let v = values[t][i]
                    switch store.meta.columns[c].kind {
                    case _ where v.isNaN: fields.append("")
                    case .category: fields.append(store.meta.columns[c].dictionary![Int(v)])
                    case .date: fields.append(Day(Int32(v)).description)
                    case .bool: fields.append(v != 0 ? "1" : "0")
                    // Swift's shortest round-trip spelling; Spark's (1.0E-5) is read back as exactly.
                    default: fields.append("\(v)")
                    }
                }
                rows.append(fields.map(csvField).joined(separator: ","))
            }
        }
        let header = (["uscc"] + tagIDs).map(csvField).joined(separator: ",")
        let cuts = [0, rows.count / 3, 2 * rows.count / 3, rows.count]
        for p in 0..<3 {
            let text = ([header] + rows[cuts[p]..<cuts[p + 1]]).joined(separator: "\n") + "\n"
            TestPaths.write(text, to: dir + "/tags", String(format: "part-%05d-test.csv", p))
        }
        try writeManifest(dir, hash: manifest["pipeline_hash"] as! String, asOf: asOf, tags: tagIDs)
        return dir
    }

    static func writeManifest(_ dir: String, hash: String, asOf: String, tags: [String]) throws {
        let m: [String: Any] = ["format": "digitag-tags/1", "pipeline_hash": hash, "as_of": asOf, "tags": tags, "sources": []]
        try JSONSerialization.data(withJSONObject: m, options: [.prettyPrinted]).write(to: URL(fileURLWithPath: dir + "/manifest.json"))
    }

    static func csvField(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    @Test("a run from imported tags publishes the native run's classes, tags, store and sample byte for byte")
    func sameOutputs() throws {
        #expect(Self.native.result.status == 0, "\(Self.native.result.stderr)")
        let imported = try CLI.runPipeline(asOf: Self.asOf, extra: ["--tags-from", Self.tagsDirectory])
        #expect(imported.result.status == 0, "\(imported.result.stderr)")
        #expect(imported.result.stderr.contains("tags: read from"))
        for file in ["classes.csv", "tags.csv", "store/profile.dts"] {
            let a = Self.bytes(Self.native.dir + "/" + file)
            #expect(!a.isEmpty, "\(file) missing in the native run")
            #expect(a == Self.bytes(imported.dir + "/" + file), "\(file) differs")
        }
        let sampleA = TestPaths.temporaryDirectory("tags-from-sample") + "/native"
        let sampleB = TestPaths.temporaryDirectory("tags-from-sample") + "/imported"
        let drawA = try CLI.run(["sample", "--run", Self.native.dir, "--out", sampleA])
        let drawB = try CLI.run(["sample", "--run", imported.dir, "--out", sampleB])
        #expect(drawA.status == 0 && drawB.status == 0, "\(drawA.stderr)\(drawB.stderr)")
        for file in ["plan.csv", "notice.csv", "ledger.csv"] {
            let a = Self.bytes(sampleA + "/" + file)
            #expect(!a.isEmpty, "\(file) missing")
            #expect(a == Self.bytes(sampleB + "/" + file), "\(file) differs")
        }
    }

    @Test("tags of another pipeline or another date are refused (exit 3) and nothing is published")
    func wrongHashOrDateRefused() throws {
        let store = try StoreReader(path: Self.native.dir + "/store/profile.dts")
        let tags = store.meta.tags.map(\.id)
        let hash = store.meta.pipelineHash
        for (label, badHash, badDate, expected) in [
            ("hash", String(repeating: "0", count: 64), Self.asOf, "tags computed by another pipeline"),
            ("date", hash, "2024-06-30", "tags computed as of 2024-06-30, not 2024-12-31"),
        ] {
            let dir = TestPaths.temporaryDirectory("tags-from-\(label)")
            try FileManager.default.copyItem(atPath: Self.tagsDirectory + "/tags", toPath: dir + "/tags")
            try Self.writeManifest(dir, hash: badHash, asOf: badDate, tags: tags)
            let r = try CLI.runPipeline(asOf: Self.asOf, extra: ["--tags-from", dir])
            #expect(r.result.status == 3, "\(label): \(r.result.stderr)")
            #expect(r.result.stderr.contains(expected), "\(label): \(r.result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: r.dir + "/classes.csv"), "\(label): nothing may be published")
        }
    }

    @Test("a tags directory missing an enterprise is refused, naming it")
    func missingEnterpriseRefused() throws {
        let dir = TestPaths.temporaryDirectory("tags-from-missing")
        try FileManager.default.copyItem(atPath: Self.tagsDirectory, toPath: dir + "/t")
        let part = dir + "/t/tags/part-00001-test.csv"
        var lines = TestPaths.read(part).split(separator: "\n", omittingEmptySubsequences: false)
        let removed = String(lines.remove(at: 5).prefix(18))
        TestPaths.write(lines.joined(separator: "\n"), to: dir + "/t/tags", "part-00001-test.csv")
        let r = try CLI.runPipeline(asOf: Self.asOf, extra: ["--tags-from", dir + "/t"])
        #expect(r.result.status == 3, "\(r.result.stderr)")
        #expect(r.result.stderr.contains("no row for enterprise \(removed)"), "\(r.result.stderr)")
    }
}
