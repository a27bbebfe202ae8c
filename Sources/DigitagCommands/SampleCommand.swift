import ArgumentParser
import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Inspection
import Sampling

struct SampleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sample",
        abstract: "Draw enterprises and inspectors for an inspection task from a published run (双随机), or verify a draw.",
        discussion: """
            `digitag sample [draw]` draws; `digitag sample verify DIR` re-runs a draw from its audit record;
            `digitag sample replace DIR --uscc X --reason R` gives a dropped enterprise's place to the next ticket of its
            stratum; `digitag sample lint` checks task files.
            Exit codes: 0 done / identical, 2 configuration error (task, items, inspectors), 3 bad input (run files, a
            USCC that is not drawn), 6 the task's rules cannot be met (inspectors, or nobody left to replace with),
            7 the verified sample differs or its inputs changed.
            """,
        subcommands: [DrawSample.self, VerifySample.self, ReplaceSample.self, LintTasks.self],
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
            let weighted = d.task.effectiveGroups.contains(where: \.isWeighted)
            let expected = d.result.groups.reduce(0) { $0 + $1.expected }
            print(
                "  drawn: \(d.result.selections.count) of \(d.enterprisesInScope) enterprises in scope "
                    + "(\(d.enterprisesInRun) in the run; the ratios ask for \(d.result.totalByRatio)"
                    + (weighted ? ", expected \(decimal(expected)))" : ")"))
            let groups = d.task.effectiveGroups
            for total in d.result.groups {
                let g = groups[total.group]
                let indent = d.task.declaresGroups ? "    " : "  "
                if d.task.declaresGroups {
                    var what = [g.rule.map { "where \($0.expression)" } ?? "everyone else in scope"]
                    if let w = g.weight { what.append("weighted by \(w.expression), expected \(decimal(total.expected))") }
                    print("  group \(g.id): \(total.drawn) of \(total.size) (\(g.ratios.text); \(what.joined(separator: "; ")))")
                    if !g.strata.contains("class") { continue }
                }
                var byClass: [String: (size: Int, drawn: Int, ratio: String)] = [:]
                for st in d.result.strata where st.group == total.group {
                    let r = byClass[st.riskClass] ?? (0, 0, st.ratio.percentText)
                    byClass[st.riskClass] = (r.size + st.size, r.drawn + st.drawn, r.ratio)
                }
                for cls in byClass.keys.sorted() {
                    let c = byClass[cls]!
                    print("\(indent)class \(cls): \(c.drawn) of \(c.size) (ratio \(c.ratio))")
                }
            }
            if let floor = d.task.floor { print("  floor: every enterprise in scope has a probability of at least \(floor.percentText)") }
            let strataText = d.task.declaresGroups ? "group strata" : d.task.strata.joined(separator: " × ")
            print("  strata: \(d.result.strata.count) (\(strataText)); sizes in audit.json")
            for (department, items) in Assignment.departments(d.items) {
                let ids = Set(d.roster.inspectors.filter { $0.department == department }.map(\.id))
                let loads = d.assignment.loads.filter { ids.contains($0.key) }
                print(
                    "  \(department) inspectors: \(d.task.inspection.perDepartment) per enterprise for \(items.joined(separator: ", ")); "
                        + "\(loads.count) inspectors used, highest load \(loads.values.max() ?? 0)")
            }
            print(
                "written: \(s.directory)/plan.csv (internal), \(s.directory)/notice.csv (publishable), \(s.directory)/ledger.csv "
                    + "(internal), \(s.directory)/audit.json (internal)")
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
            throw ExitCode(ExitStatus.verificationFailed.rawValue)
        }
    }
}

/// A number with up to two decimals, for people.
func decimal(_ x: Double) -> String {
    let r = (x * 100).rounded() / 100
    return r == r.rounded() ? String(Int(r)) : String(r)
}

struct ReplaceSample: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replace",
        abstract: "Replace a drawn enterprise (deregistered, unreachable, …) with the next ticket of its stratum.",
        discussion: """
            The sample must verify first (the draw is re-run from audit.json; exit 7 if it differs). The replacement is the
            first enterprise of the same group and stratum, in the draw's own order (lowest ticket; weighted groups: lowest
            ticket ÷ probability), that is not drawn or used yet, so anyone can recompute it. It gets inspectors like any
            drawn enterprise, given the current loads; no other team changes. plan.csv keeps the replaced enterprise
            (status replaced, with the reason), notice.csv lists the replacement instead, and audit.json records the
            request so that `sample verify` replays it. Reasons: deregistered, revoked, unreachable, out_of_scope, other
            (the last two need --note).
            """)

    @Argument(help: "The sample directory, e.g. samples/SD-2025-GEN-01.")
    var directory: String

    @Option(help: "The USCC of the drawn enterprise to replace.")
    var uscc: String

    @Option(help: "Why: deregistered, revoked, unreachable, out_of_scope, other.")
    var reason: String

    @Option(help: "A note kept with the replacement (required for out_of_scope and other).")
    var note: String = ""

    @Option(name: .customLong("run"), help: "The run directory, if not where audit.json says.")
    var runDirectory: String?

    func validate() throws {
        if case .failure(let p) = USCC.parse(uscc) { throw ValidationError("'\(uscc)' is not a valid USCC: \(p)") }
        guard let r = ReplacementReason(rawValue: reason) else {
            let all = ReplacementReason.allCases.map(\.rawValue)
            let hint = closestMatch(to: reason, in: all).map { " (did you mean '\($0)'?)" } ?? ""
            throw ValidationError("unknown reason '\(reason)'\(hint): use \(all.joined(separator: ", "))")
        }
        if r.needsNote && note.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reason \(reason) needs a --note saying what happened")
        }
    }

    func run() throws {
        try reportingFailures {
            let request = ReplacementRequest(uscc: uscc, reason: ReplacementReason(rawValue: reason)!, note: note)
            let outcome = try SampleReplacer.replace(directory: directory, request: request, runDirectory: runDirectory)
            let s = outcome.record.selection
            print("replaced \(uscc) (\(reason)) with \(s.candidate.uscc) \(s.candidate.name)")
            print("  stratum \(s.stratum), rank \(s.rank): the next ticket not drawn or used yet (\(s.ticket.hex.prefix(16))…)")
            let teams = outcome.draw.assignment.teams[s.candidate.uscc] ?? []
            print("  inspectors: " + teams.map { "\($0.department)=" + $0.inspectors.joined(separator: "+") }.joined(separator: "|"))
            print("  replacements so far: \(outcome.draw.replacements.count); verify with: digitag sample verify \(directory)")
        }
    }
}

struct LintTasks: ParsableCommand {
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

    @Option(help: "The pipeline file whose catalog the expressions are checked against.")
    var pipeline = "Pipelines/shandong.yaml"

    @Option(help: "The inspection item list (default: items.csv beside the pipeline file).")
    var items: String?

    func run() throws {
        try reportingFailures {
            let targets = files.isEmpty ? SampleLint.shippedTasks(pipeline: pipeline) : files
            let reports = try SampleLint.check(files: targets, pipeline: pipeline, items: items)
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
