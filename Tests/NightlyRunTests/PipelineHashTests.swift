import Foundation
import RunModel
import TestSupport
import Testing

/// Issue 14: the pipeline hash covers what changes a run's outputs, not operational settings; a run's copy of
/// its pipeline loads to the same hash.
@Suite("pipeline hash and the run's copy")
struct PipelineHashTests {
    /// A copy of Pipelines/ with `extra` appended to the pipeline file, whose shipped `gates:` block is left
    /// out (so that `extra` may set other gates); returns its path.
    func pipeline(_ extra: String = "") throws -> String {
        let dir = TestPaths.temporaryDirectory("hash") + "/Pipelines"
        try FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: dir)
        TestPaths.write(PipelineCopy.withoutGates(TestPaths.read(dir + "/shandong.yaml")) + extra, to: dir, "shandong.yaml")
        return dir + "/shandong.yaml"
    }

    @Test("keep_runs, gates, input and titles leave the hash alone; tags, risk, sources and code tables change it")
    func coverage() throws {
        let base = try PipelineDefinition.load(try pipeline()).hash
        let operational = try PipelineDefinition.load(
            try pipeline("keep_runs: 4\ninput: /data/incoming\ngates:\n  max_reject_rate: 0.2\n  schema_drift: fail\n"))
        #expect(operational.hash == base)
        #expect(operational.keepRuns == 4)
        #expect(operational.input == "/data/incoming")
        // Moved elsewhere (another folder, another file name): same files, same hash.
        let moved = TestPaths.temporaryDirectory("moved") + "/p"
        try FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: moved)
        try FileManager.default.moveItem(atPath: moved + "/shandong.yaml", toPath: moved + "/night.yaml")
        #expect(try PipelineDefinition.load(moved + "/night.yaml").hash == base)
        for file in ["risk.yaml", "sources.yaml", "regions.csv", "industries.csv", "tags/50-tax.yaml"] {
            let p = try pipeline()
            let path = (p as NSString).deletingLastPathComponent + "/" + file
            TestPaths.write(TestPaths.read(path) + "\n", to: (path as NSString).deletingLastPathComponent, (path as NSString).lastPathComponent)
            #expect(try PipelineDefinition.load(p).hash != base, "\(file) must be covered")
        }
        let renamed = try pipeline("").replacingOccurrences(of: "shandong.yaml", with: "")
        TestPaths.write(TestPaths.read(renamed + "shandong.yaml").replacingOccurrences(of: "pipeline: shandong", with: "pipeline: other"), to: renamed, "shandong.yaml")
        #expect(try PipelineDefinition.load(renamed + "shandong.yaml").hash != base, "the pipeline's name is in every output")
    }

    @Test("the run's copy holds every file and loads to the same hash, also with code tables outside the folder")
    func copy() throws {
        let d = try PipelineDefinition.load(try pipeline())
        let run = TestPaths.temporaryDirectory("copy")
        try RunPipelineCopy.save(d, into: run)
        let copy = try PipelineDefinition.load(RunPipelineCopy.path(run: run))
        #expect(copy.hash == d.hash)
        #expect(copy.catalog.tags.map(\.definition.id) == d.catalog.tags.map(\.definition.id))
        #expect(FileManager.default.fileExists(atPath: run + "/pipeline/items.csv"))
        #expect(copy.defaultTask == run + "/pipeline/tasks/general-2025.yaml")
        // Files named by absolute paths outside the pipeline's folder.
        let dir = TestPaths.temporaryDirectory("outside")
        let shipped = TestPaths.repo("Pipelines")
        try FileManager.default.copyItem(atPath: shipped + "/tags", toPath: dir + "/tags")
        TestPaths.write(
            "pipeline: shandong\nsources: \(shipped)/sources.yaml\nregions: \(shipped)/regions.csv\nindustries: \(shipped)/industries.csv\ntags: tags\nrisk: \(shipped)/risk.yaml\n",
            to: dir, "p.yaml")
        let outside = try PipelineDefinition.load(dir + "/p.yaml")
        let run2 = TestPaths.temporaryDirectory("copy2")
        try RunPipelineCopy.save(outside, into: run2)
        #expect(try PipelineDefinition.load(RunPipelineCopy.path(run: run2)).hash == outside.hash)
    }
}
