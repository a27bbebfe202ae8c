import DigiTagBase
import ArgumentParser
import Inspection

extension SampleCommand {
    /// `digitag sample lint`: checks task files without a run.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lint",
            abstract: "Check task files: keys, groups, the never-exempt policy, items and expressions.",
            discussion: """
                Without files, checks every task of the pipeline (tasks/*.yaml beside it). Every problem is listed with its
                file:line:column. A policy that could leave an enterprise in scope with probability 0 (a ratio of 0, groups
                without a final rest group, a weighted group without a floor) is an error unless the task gives exempt_reason.
                Exit 0 when every file is clean, 2 otherwise.
                """)

        @Argument(help: "Task files (default: the pipeline's tasks/*.yaml).")
        var files: [String] = []

        // Not `PipelineOption`: here the pipeline also names the tasks checked, and its help says what it is used for.
        @Option(help: "The pipeline file whose catalog the expressions are checked against.")
        var pipeline = PipelineOption.defaultPath

        @OptionGroup var itemList: ItemListOption

        func run() throws {
            try reportingFailures {
                let targets = files.isEmpty ? SampleLint.shippedTasks(pipeline: pipeline) : files
                let reports = try SampleLint.check(files: targets, pipeline: pipeline, items: itemList.items)
                var failed = 0
                for r in reports {
                    if r.problems.isEmpty {
                        let t = r.task!
                        let groups = t.declaresGroups ? "\(t.groups.count) groups (\(t.groups.map(\.id).joined(separator: ", ")))" : "one general draw"
                        print("ok \(r.file): task \(t.id), \(groups)")
                    } else {
                        failed += 1
                        for p in r.problems { printError(p.description) }
                    }
                }
                if failed > 0 {
                    printError("digitag: \(failed) of \(reports.count) task file\(reports.count == 1 ? "" : "s") with problems")
                    throw ExitCode(ExitStatus.configuration.rawValue)
                }
            }
        }
    }
}
