import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Risk

/// A pipeline file (`Pipelines/shandong.yaml`) and everything it names, loaded and checked.
///
/// Loading compiles the schemas, the tag catalog and the risk model before any data is read; every
/// problem in any of them is reported together, each with its file, line and column.
public struct PipelineDefinition: Sendable {
    public var path: String
    public var name: String
    public var sources: SourceCatalog
    public var catalog: TagCatalog
    public var risk: RiskModel
    public var tagFiles: [String]
    public var defaultTask: String?
    public var inspectorsFile: String?
    public var gates: QualityGates
    /// How many published runs to keep (older ones are deleted after a successful run); nil keeps all.
    public var keepRuns: Int?
    /// The input folder the pipeline names (`input:`, relative to the pipeline file); `digitag run
    /// --input` overrides it. Never a demo default: a run without either is refused.
    public var input: String?
    /// The files that decide a run's outputs — sources, code tables, risk model, tag files — each with the
    /// path the pipeline's copy in a run gives it (`RunPipelineCopy`).
    public var files: [PipelineFile]
    /// Files the pipeline names that do not change a run's outputs but that a draw reads (the item list
    /// beside the pipeline, the default task): copied with the run, not hashed.
    public var companionFiles: [PipelineFile]
    /// SHA-256 over what changes a run's outputs: the pipeline's name and the bytes of `files` (tag files
    /// with their relative paths, which fix the catalog's order). Operational settings — `keep_runs`,
    /// `gates`, `input`, titles, where the files live — are not covered, so editing them does not make
    /// earlier runs and samples look as if they were made with another pipeline.
    public var hash: String

    /// The `input:` folder a pipeline file names (joined to its folder), read without compiling anything:
    /// `digitag run` needs it before the run starts. Nil when the file names none or cannot be read.
    public static func declaredInput(_ path: String) -> String? {
        guard let text = try? FileSystem.readText(path), let root = try? YAMLNode.parse(text, file: path),
            let value = root["input"]?.scalarText, !value.isEmpty
        else { return nil }
        return FileSystem.join(FileSystem.directoryOf(path), value)
    }

    public static func load(_ path: String) throws -> PipelineDefinition {
        let dir = FileSystem.directoryOf(path)
        let root = try YAMLNode.parse(try FileSystem.readText(path), file: path)
        var r = YAMLFieldReader(root, what: "the pipeline file")
        let name = r.string("pipeline", required: true) ?? "pipeline"
        let sourcesFile = FileSystem.join(dir, r.string("sources", required: true) ?? "sources.yaml")
        let regionsFile = FileSystem.join(dir, r.string("regions", required: true) ?? "regions.csv")
        let industriesFile = FileSystem.join(dir, r.string("industries", required: true) ?? "industries.csv")
        let tagsEntry = r.strings("tags", required: true) ?? []
        let riskFile = FileSystem.join(dir, r.string("risk", required: true) ?? "risk.yaml")
        let defaultTask = r.string("default_task").map { FileSystem.join(dir, $0) }
        let inspectors = r.string("inspectors")
        let gatesNode = r.node("gates")
        let keepRuns = r.int("keep_runs")
        let input = r.string("input").map { FileSystem.join(dir, $0) }
        let itemsFile = FileSystem.join(dir, "items.csv")
        _ = r.string("title_zh")
        _ = r.string("title_en")
        let problems = r.finish()
        if !problems.isEmpty { throw DiagnosticsError(problems) }

        // Tag files: each entry is a file or a folder of *.yaml files, read in name order.
        var tagFiles: [String] = []
        for entry in tagsEntry {
            let p = FileSystem.join(dir, entry)
            if FileSystem.isDirectory(p) {
                tagFiles += FileSystem.list(p).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { FileSystem.join(p, $0) }
            } else {
                tagFiles.append(p)
            }
        }
        let regions = try ReferenceTable.load(regionsFile, requiredColumns: ["code", "name_zh", "city_code", "city_name_zh"])
        let industries = try ReferenceTable.load(industriesFile, requiredColumns: ["code", "section", "name_zh"])
        let sources = try SourceCatalog.load(path: sourcesFile, regions: regions, industries: industries)
        let (gates, gateProblems) = QualityGates.read(gatesNode, sources: sources.sources.map(\.name))
        if !gateProblems.isEmpty { throw DiagnosticsError(gateProblems) }
        if let keepRuns, keepRuns < 1 {
            throw Diagnostic(root["keep_runs"]?.location ?? root.location, "keep_runs must be at least 1")
        }
        let catalog = try TagCatalog.compile(files: tagFiles, sources: sources)
        let risk = try RiskModelLoader.load(path: riskFile, catalog: catalog)

        func relative(_ file: String) -> String {
            file.hasPrefix(dir + "/") ? String(file.dropFirst(dir.count + 1)) : (file as NSString).lastPathComponent
        }
        let files =
            [
                PipelineFile(role: "sources", path: sourcesFile, relative: relative(sourcesFile)),
                PipelineFile(role: "regions", path: regionsFile, relative: relative(regionsFile)),
                PipelineFile(role: "industries", path: industriesFile, relative: relative(industriesFile)),
                PipelineFile(role: "risk", path: riskFile, relative: relative(riskFile)),
            ] + tagFiles.map { PipelineFile(role: "tags", path: $0, relative: relative($0)) }
        var companions: [PipelineFile] = []
        if FileSystem.exists(itemsFile) { companions.append(PipelineFile(role: "items", path: itemsFile, relative: "items.csv")) }
        if let defaultTask, FileSystem.exists(defaultTask) {
            companions.append(PipelineFile(role: "default_task", path: defaultTask, relative: relative(defaultTask)))
        }
        let hash = try PipelineFile.hash(name: name, files: files)
        return PipelineDefinition(
            path: path, name: name, sources: sources, catalog: catalog, risk: risk, tagFiles: tagFiles, defaultTask: defaultTask,
            inspectorsFile: inspectors, gates: gates, keepRuns: keepRuns, input: input, files: files, companionFiles: companions,
            hash: hash)
    }
}
