import Catalog
import Crypto
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
    /// SHA-256 over every file the pipeline uses (path and bytes, in a fixed order).
    public var hash: String

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

        var hasher = SHA256()
        // Paths relative to the pipeline's folder: the same files hash the same however the pipeline is named.
        for file in [path, sourcesFile, regionsFile, industriesFile, riskFile] + tagFiles {
            let relative = file.hasPrefix(dir + "/") ? String(file.dropFirst(dir.count + 1)) : (file as NSString).lastPathComponent
            hasher.update(data: Data(relative.utf8))
            hasher.update(data: FileManager.default.contents(atPath: file) ?? Data())
        }
        let hash = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return PipelineDefinition(
            path: path, name: name, sources: sources, catalog: catalog, risk: risk, tagFiles: tagFiles, defaultTask: defaultTask,
            inspectorsFile: inspectors, gates: gates, keepRuns: keepRuns, hash: hash)
    }
}
