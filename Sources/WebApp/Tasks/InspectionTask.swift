import DigiTagBase
import Foundation
import Inspection
import Sampling

/// An inspection task as the server knows it: its file, its definition and its sample folder, drawn or not.
public struct InspectionTask: Sendable {
    public var file: String
    public var task: SamplingTask
    /// `<samples>/<task id>`, where `digitag sample` would draw it with `--out`.
    public var directory: String
    /// The draw's audit record; nil while the task is not drawn.
    public var audit: SampleAudit?
    /// `file` as the pages show it: relative to the samples folder or to the pipeline's folder, else its name
    /// alone — never a path of the server.
    public var shownFile: String

    public var id: String { task.id }
    public var isDrawn: Bool { audit != nil }
    /// The sample folder as the pages show it: relative to the samples folder.
    public var shownDirectory: String { task.id + "/" }

    /// `text` (a line of the draw or of its audit record) with this task's server paths replaced by the names
    /// the pages show: the sample folder as `<samples>/<id>`, the task file as `shownFile`, the run by its
    /// folder's name.
    public func shown(_ text: String) -> String {
        var pairs = [(directory, "<samples>/" + id), (file, shownFile)]
        if let a = audit { pairs += [(a.task.file, shownFile), (a.run.directory, URL(fileURLWithPath: a.run.directory).lastPathComponent)] }
        var out = text
        for (path, name) in pairs.sorted(by: { $0.0.count > $1.0.count }) where !path.isEmpty {
            out = out.replacingOccurrences(of: path, with: name)
        }
        return out
    }

    /// `path` relative to the first of `roots` it lies in, else its last component.
    static func shown(_ path: String, roots: [String]) -> String {
        let p = URL(fileURLWithPath: path).standardizedFileURL.path
        for root in roots {
            let r = URL(fileURLWithPath: root).standardizedFileURL.path
            if p.hasPrefix(r + "/") { return String(p.dropFirst(r.count + 1)) }
        }
        return URL(fileURLWithPath: path).lastPathComponent
    }

    /// The tasks of the served pipeline and of the samples folder, each once by id:
    /// 1. the pipeline's `default_task` and the task files beside it (`tasks/*.yaml`, as `digitag sample lint`
    ///    checks them), in file order;
    /// 2. task files put in the samples folder itself (`<samples>/*.yaml`), by name;
    /// 3. tasks drawn into the samples folder from any other file (`<samples>/<id>/audit.json`, by the command
    ///    line), as the audit record keeps the task's text.
    /// A file that cannot be read as a task is returned among `problems`, with the lint's messages.
    public static func all(pipeline: String, defaultTask: String?, samples: String) -> (
        tasks: [InspectionTask], problems: [Diagnostic]
    ) {
        var files = SampleLint.shippedTasks(pipeline: pipeline)
        if let d = defaultTask, !files.contains(d) { files.insert(d, at: 0) }
        let entries = FileSystem.list(samples).filter { !$0.hasPrefix(".") }.sorted()
        files += entries.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.map { FileSystem.join(samples, $0) }
        let roots = [samples, FileSystem.directoryOf(pipeline)]
        var tasks: [InspectionTask] = []
        var problems: [Diagnostic] = []
        func problem(_ file: String, _ error: any Error) {
            let shownFile = shown(file, roots: roots)
            if let e = error as? DiagnosticsError {
                problems += e.diagnostics.map { d in
                    var d = d
                    if d.location.file == file { d.location.file = shownFile }
                    return d
                }
            } else {
                problems.append(Diagnostic(SourceLocation(file: shownFile), "\(error)".replacingOccurrences(of: file, with: shownFile)))
            }
        }
        for file in files {
            do {
                let task = try SamplingTask.load(text: try FileSystem.readText(file), file: file)
                guard !tasks.contains(where: { $0.id == task.id }) else { continue }
                let directory = FileSystem.join(samples, task.id)
                let auditPath = FileSystem.join(directory, "audit.json")
                let audit = FileSystem.exists(auditPath) ? try SampleAudit.read(auditPath) : nil
                tasks.append(InspectionTask(file: file, task: task, directory: directory, audit: audit, shownFile: shown(file, roots: roots)))
            } catch {
                problem(file, error)
            }
        }
        for name in entries where !tasks.contains(where: { $0.id == name }) {
            let directory = FileSystem.join(samples, name)
            let auditPath = FileSystem.join(directory, "audit.json")
            guard FileSystem.exists(auditPath) else { continue }
            do {
                let audit = try SampleAudit.read(auditPath)
                guard audit.task.id == name else { continue }
                let task = try SamplingTask.load(text: audit.task.text, file: audit.task.file)
                tasks.append(
                    InspectionTask(file: audit.task.file, task: task, directory: directory, audit: audit, shownFile: shown(audit.task.file, roots: roots)))
            } catch {
                problem(auditPath, error)
            }
        }
        return (tasks, problems)
    }
}
