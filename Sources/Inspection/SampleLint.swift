import DigiTagBase
import Foundation
import RunModel
import Sampling

/// `digitag sample lint`: checks task files without a run — every key, the groups and the "never exempt"
/// policy, the items against the item list, and every expression (scope, group rules, weights) against the
/// pipeline's catalog.
public enum SampleLint {
    public struct Report: Sendable {
        public var file: String
        /// Nil when the file could not be read as a task at all.
        public var task: SamplingTask?
        public var problems: [Diagnostic]
    }

    /// The task files a pipeline ships: `tasks/*.yaml` beside the pipeline file, sorted.
    public static func shippedTasks(pipeline: String) -> [String] {
        let dir = FileSystem.join(FileSystem.directoryOf(pipeline), "tasks")
        return FileSystem.list(dir).filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { FileSystem.join(dir, $0) }
    }

    /// Checks each file and reports every problem found in it.
    public static func check(files: [String], pipeline: String, items: String? = nil) throws -> [Report] {
        let definition = try PipelineDefinition.load(pipeline)
        let itemList = try ItemList.load(items ?? FileSystem.join(FileSystem.directoryOf(pipeline), "items.csv"))
        return files.map { file in
            let text: String
            do { text = try FileSystem.readText(file) } catch {
                return Report(file: file, task: nil, problems: [Diagnostic(SourceLocation(file: file), "cannot read the file: \(error)")])
            }
            let task: SamplingTask
            do throws(DiagnosticsError) { task = try SamplingTask.load(text: text, file: file) } catch {
                return Report(file: file, task: nil, problems: error.diagnostics)
            }
            var problems: [Diagnostic] = []
            do throws(DiagnosticsError) { _ = try itemList.resolve(task) } catch { problems += error.diagnostics }
            // The as-of date only sets how many days exclude_inspected_within_months spans: any date checks the expression.
            do throws(DiagnosticsError) {
                _ = try SampleScope.compile(task: task, definition: definition, asOf: Day(year: 2000, month: 1, day: 1)!)
            } catch {
                problems += error.diagnostics
            }
            return Report(file: file, task: task, problems: problems)
        }
    }
}
