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

    public var id: String { task.id }
    public var isDrawn: Bool { audit != nil }

    /// The tasks `digitag sample` knows for the served pipeline: the pipeline's `default_task` and the task
    /// files beside it (`tasks/*.yaml`, as `digitag sample lint` checks them), each once by id, in file order.
    /// A file that cannot be read as a task is returned among `problems`, with the lint's messages.
    public static func all(pipeline: String, defaultTask: String?, samples: String) -> (
        tasks: [InspectionTask], problems: [Diagnostic]
    ) {
        var files = SampleLint.shippedTasks(pipeline: pipeline)
        if let d = defaultTask, !files.contains(d) { files.insert(d, at: 0) }
        var tasks: [InspectionTask] = []
        var problems: [Diagnostic] = []
        for file in files {
            do {
                let task = try SamplingTask.load(text: try FileSystem.readText(file), file: file)
                guard !tasks.contains(where: { $0.id == task.id }) else { continue }
                let directory = FileSystem.join(samples, task.id)
                let auditPath = FileSystem.join(directory, "audit.json")
                let audit = FileSystem.exists(auditPath) ? try SampleAudit.read(auditPath) : nil
                tasks.append(InspectionTask(file: file, task: task, directory: directory, audit: audit))
            } catch let e as DiagnosticsError {
                problems += e.diagnostics
            } catch {
                problems.append(Diagnostic(SourceLocation(file: file), "\(error)"))
            }
        }
        return (tasks, problems)
    }
}
