import DigiTagBase
import Foundation

/// The copy of its pipeline a run keeps in `runs/<as-of>/pipeline/`, so that the commands reading the run
/// (`query`, `explain`, `tags stats`, `sample`, `sample verify`) work from any directory and keep working
/// when the live pipeline changes.
///
/// The copy holds every file that decides the run's outputs (sources, code tables, risk model, tag files)
/// at its path relative to the live pipeline's folder, the item list and default task beside them, and a
/// `pipeline.yaml` written for the copy that names exactly these files. Operational settings (`gates`,
/// `keep_runs`, `input`) are left out: they concern the night, not the run's meaning. The copy loads to the
/// same hash as the live pipeline (`PipelineDefinition.hash` covers names and bytes, not where files live).
public enum RunPipelineCopy {
    public static let directoryName = "pipeline"
    public static let fileName = "pipeline.yaml"

    /// `<run>/pipeline/pipeline.yaml`.
    public static func path(run: String) -> String {
        FileSystem.join(FileSystem.join(run, directoryName), fileName)
    }

    public static func exists(run: String) -> Bool { FileSystem.exists(path(run: run)) }

    /// Writes the copy into `runDirectory` (a staging directory: it is published with the rest of the run).
    public static func save(_ definition: PipelineDefinition, into runDirectory: String) throws {
        let root = FileSystem.join(runDirectory, directoryName)
        try? FileManager.default.removeItem(atPath: root)
        var seen: [String: String] = [:]
        for f in definition.files + definition.companionFiles {
            if let other = seen[f.relative], other != f.path {
                throw Diagnostic(
                    SourceLocation(file: definition.path),
                    "two files of the pipeline would have the same name '\(f.relative)' in the run's copy: \(other) and \(f.path)",
                    hint: "keep the pipeline's files in the pipeline's folder, or give them different names")
            }
            seen[f.relative] = f.path
            let target = FileSystem.join(root, f.relative)
            try FileSystem.createDirectory(FileSystem.directoryOf(target))
            guard let bytes = FileManager.default.contents(atPath: f.path) else {
                throw Diagnostic(SourceLocation(file: f.path), "cannot read this \(f.role) file of the pipeline to copy it into the run")
            }
            try FileSystem.writeAtomically(bytes, to: target)
        }
        try FileSystem.writeAtomically(Data(yaml(definition).utf8), to: FileSystem.join(root, fileName))
    }

    /// The copy's pipeline file: the name and the files, nothing operational.
    static func yaml(_ d: PipelineDefinition) -> String {
        func q(_ s: String) -> String {
            let escaped = s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        }
        func one(_ role: String) -> String { d.files.first { $0.role == role }!.relative }
        var lines = [
            "# The pipeline this run was made with, copied from \(d.path) by digitag run.",
            "# Only what decides the run's outputs (hash \(d.hash)); gates, keep_runs and input are the night's, not the run's.",
            "pipeline: \(q(d.name))",
            "sources: \(q(one("sources")))",
            "regions: \(q(one("regions")))",
            "industries: \(q(one("industries")))",
            "risk: \(q(one("risk")))",
            "tags:",
        ]
        lines += d.files.filter { $0.role == "tags" }.map { "  - \(q($0.relative))" }
        if let task = d.companionFiles.first(where: { $0.role == "default_task" }) { lines.append("default_task: \(q(task.relative))") }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The pipeline for reading `run`: the `override` if given (refused unless it is the one the run was
    /// made with), else the run's own copy; a run published before runs kept a copy falls back to
    /// `fallback` (the shipped pipeline), which the commands then check as they always did.
    public static func load(run: String, override: String?, fallback: String) throws -> PipelineDefinition {
        if let override {
            let d = try PipelineDefinition.load(override)
            if let recorded = recordedHash(run: run), recorded != d.hash {
                throw Diagnostic(
                    SourceLocation(file: override),
                    "this pipeline is not the one \(run) was made with (hash \(d.hash.prefix(12))…, the run's \(recorded.prefix(12))…)",
                    hint: exists(run: run)
                        ? "leave out --pipeline: the run keeps its own copy in \(FileSystem.join(run, directoryName))/"
                        : "pass the pipeline files the run was made with, or run again")
            }
            return d
        }
        if exists(run: run) { return try PipelineDefinition.load(path(run: run)) }
        return try PipelineDefinition.load(fallback)
    }

    /// The pipeline hash the run's manifest records, if it can be read.
    public static func recordedHash(run: String) -> String? {
        (try? Manifest.read(FileSystem.join(run, "manifest.json")))?.pipelineHash
    }

    /// The path to load for reading `run` (see `load`). A link such as `runs/current` is followed first, so
    /// the path names the run's own folder and stays true when `current` moves on (audit records keep it).
    public static func resolvedPath(run: String, override: String?, fallback: String) -> String {
        if let override { return override }
        var link = run
        while link.count > 1 && link.hasSuffix("/") { link.removeLast() }
        var target = run
        if let t = try? FileManager.default.destinationOfSymbolicLink(atPath: link) {
            target = t.hasPrefix("/") ? t : FileSystem.join(FileSystem.directoryOf(link), t)
        }
        return exists(run: target) ? path(run: target) : fallback
    }
}
