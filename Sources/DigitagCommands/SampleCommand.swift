import ArgumentParser
import DigiTagBase
import Foundation
import Pipeline
import Sampling

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw enterprises and inspectors for an inspection task from a published run (双随机), or verify a draw.",
        discussion: """
            `digitag sample [draw]` draws; `digitag sample verify DIR` re-runs a draw from its audit record.
            Exit codes: 0 done / identical, 2 configuration error (task, items, inspectors), 3 bad input (run files),
            6 the inspectors cannot be assigned under the task's rules, 7 the verified sample differs or its inputs changed.
            """,
        subcommands: [DrawSample.self, VerifySample.self],
        defaultSubcommand: DrawSample.self)
}

struct DrawSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "draw",
        abstract: "Draw a task's enterprises and inspectors; write plan.csv, notice.csv and audit.json.",
        discussion: """
            Each enterprise's ticket is SHA-256(seed ␟ task id ␟ USCC); in every stratum (risk class × county unless
            the task says otherwise) the lowest tickets are drawn, as many as the task's ratio gives (exact quotas,
            total rounded half up, remainders by a keyed lottery). Each drawn enterprise then gets, per department of
            the task's items, at least two qualified inspectors ranked by pool level, load and
            SHA-256(seed ␟ task id ␟ USCC ␟ inspector id), with avoidance (declared conflicts, the last inspector,
            the same county if the task says so) and workload caps. The seed is --seed or the task's recorded
            seed; never the clock. plan.csv is internal; notice.csv is for publication (no class, score, reason,
            tag or inspector); audit.json holds what `digitag sample verify` needs.
            """)

    @Option(name: .customLong("run"), help: "A published run directory.")
    var runDirectory = "runs/current"

    @Option(help: "The task file (default: the pipeline's default_task).")
    var task: String?

    @Option(help: "The pipeline file (the run must have been made with it).")
    var pipeline = "Pipelines/shandong.yaml"

    @Option(help: "The seed, taken as its exact bytes (default: the seed the task file records).")
    var seed: String?

    @Option(help: "Output directory (default: samples/<task id>).")
    var out: String?

    @Option(help: "The inspector directory (default: inspectors.csv in the run's input directory).")
    var inspectors: String?

    @Option(help: "Past inspections' inspectors: uscc,inspected_on,inspector_id (default: inspection_history.csv beside the inspector directory, if present).")
    var history: String?

    @Option(help: "The inspection item list (default: items.csv beside the pipeline file).")
    var items: String?

    @Option(help: "Worker threads for the tickets (the result never depends on it).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Split the population into this many shards (the result never depends on it).")
    var shards: Int = 1

    func validate() throws {
        if let seed, seed.isEmpty { throw ValidationError("--seed must not be empty: the draw must be reproducible") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
    }

    func run() throws {
        try reportingFailures {
            let request = SampleRequest(
                runDirectory: runDirectory, pipeline: pipeline, taskPath: task, seed: seed, output: out, inspectors: inspectors,
                history: history, items: items, threads: threads, shards: shards)
            let s = try SampleRunner.run(request)
            let d = s.draw
            if d.seedOverridesTask {
                printError("digitag: note: --seed replaces the seed recorded in \(d.taskPath); audit.json records that it did")
            }
            if d.historyFile == nil {
                printError(
                    "digitag: note: no inspection history (--history or inspection_history.csv beside \(d.inspectorsFile.file)): "
                        + "the 'not the last inspector' rule had no data")
            }
            print("task \(d.task.id) \(d.task.nameZh)")
            print("  seed: \(d.seed)  (\(d.seedOrigin))")
            print(
                "  drawn: \(d.result.selections.count) of \(d.enterprisesInScope) enterprises in scope "
                    + "(\(d.enterprisesInRun) in the run; the ratios ask for \(d.result.totalByRatio))")
            var byClass: [String: (size: Int, drawn: Int, ratio: String)] = [:]
            for st in d.result.strata {
                let r = byClass[st.riskClass] ?? (0, 0, st.ratio.percentText)
                byClass[st.riskClass] = (r.size + st.size, r.drawn + st.drawn, r.ratio)
            }
            for cls in byClass.keys.sorted() {
                let c = byClass[cls]!
                print("  class \(cls): \(c.drawn) of \(c.size) (ratio \(c.ratio))")
            }
            print("  strata: \(d.result.strata.count) (\(d.task.strata.joined(separator: " × "))); sizes in audit.json")
            for (department, items) in Assignment.departments(d.items) {
                let ids = Set(d.roster.inspectors.filter { $0.department == department }.map(\.id))
                let loads = d.assignment.loads.filter { ids.contains($0.key) }
                print(
                    "  \(department) inspectors: \(d.task.inspection.perDepartment) per enterprise for \(items.joined(separator: ", ")); "
                        + "\(loads.count) inspectors used, highest load \(loads.values.max() ?? 0)")
            }
            print("written: \(s.directory)/plan.csv (internal), \(s.directory)/notice.csv (publishable), \(s.directory)/audit.json")
        }
    }
}

struct VerifySample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Re-run a draw from its audit.json and compare it with the sample's files.",
        discussion: """
            Prints "identical" (exit 0), or every input that changed since the draw and every difference between
            the sample's plan.csv, notice.csv and audit.json and a fresh re-run (exit 7). Run it from the directory
            the draw was made in (paths in audit.json are as the draw's command gave them), or pass --run.
            """)

    @Argument(help: "The sample directory, e.g. samples/SD-2025-GEN-01.")
    var directory: String

    @Option(name: .customLong("run"), help: "The run directory, if not where audit.json says.")
    var runDirectory: String?

    func run() throws {
        try reportingFailures {
            let v = try SampleVerifier.verify(directory: directory, runDirectory: runDirectory)
            if v.identical {
                print("identical")
                return
            }
            for c in v.changedInputs { print("changed: \(c)") }
            for d in v.differences { print("differs: \(d)") }
            print("not identical: \(v.changedInputs.count) input\(v.changedInputs.count == 1 ? "" : "s") changed, \(v.differences.count) difference\(v.differences.count == 1 ? "" : "s")")
            throw ExitCode(DigitagExit.verificationFailed)
        }
    }
}
