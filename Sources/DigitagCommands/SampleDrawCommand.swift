import ArgumentParser
import Foundation
import Inspection
import Sampling

extension SampleCommand {
    /// `digitag sample [draw]`: draws a task's enterprises and inspectors and writes the sample's files.
    struct Draw: ParsableCommand {
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

        @OptionGroup var published: PublishedRunOption

        @Option(help: "The task file (default: the pipeline's default_task).")
        var task: String?

        @OptionGroup var pipeline: RunPipelineOption

        @Option(help: "The seed, taken as its exact bytes (default: the seed the task file records).")
        var seed: String?

        @Option(help: "Output directory (default: samples/<task id>).")
        var out: String?

        @Option(help: "The inspector directory (default: inspectors.csv in the run's input directory).")
        var inspectors: String?

        @Option(help: "Past inspections' inspectors: uscc,inspected_on,inspector_id (default: inspection_history.csv beside the inspector directory, if present).")
        var history: String?

        @OptionGroup var itemList: ItemListOption

        @Flag(help: "Draw again into a sample folder that holds a draw (needs --reason); the earlier draw is kept in draws/<n>/.")
        var redraw = false

        @Option(help: "Why the task is drawn again (with --redraw): recorded in audit.json's list of draws.")
        var reason: String?

        @Option(help: "The private nonce file of a task whose seed was committed (default: commitments/<task id>.nonce).")
        var nonce: String?

        @Option(help: "Worker threads for the tickets (the result never depends on it).")
        var threads: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Split the population into this many shards (the result never depends on it).")
        var shards: Int = 1

        func validate() throws {
            if let seed, seed.isEmpty { throw ValidationError("--seed must not be empty: the draw must be reproducible") }
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            guard shards >= 1 else { throw ValidationError("--shards must be at least 1") }
            if redraw && (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
                throw ValidationError("--redraw needs --reason TEXT: a redraw is recorded with why it was made")
            }
            if reason != nil && !redraw { throw ValidationError("--reason is for --redraw") }
        }

        func run() throws {
            try reportingFailures {
                let request = SampleRequest(
                    runDirectory: published.directory, pipeline: pipeline.path(run: published.directory), taskPath: task,
                    seed: seed, output: out, inspectors: inspectors, history: history, items: itemList.items, threads: threads,
                    shards: shards, redrawReason: redraw ? reason : nil, nonceFile: nonce, drawnAt: SeedCommitment.text(Date()))
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
                if let c = d.commitment, let published = d.runPublishedAt, let at = SeedCommitment.date(c.committedAt),
                    let run = SeedCommitment.date(published), at >= run
                {
                    printError(
                        "digitag: warning: the seed was committed at \(c.committedAt), after run \(d.runDirectory) was published "
                            + "(\(published)): 'sample verify' will report that it could have been chosen knowing the data")
                }
                print("task \(d.task.id) \(d.task.nameZh)")
                if let title = d.task.publicTitle, title != d.task.nameZh { print("  public title: \(title)") }
                print("  seed: \(d.seed)  (\(d.seedOrigin))")
                if let last = d.earlierDraws.last {
                    print("  redraw: draw \(last.seq + 1), because: \(d.redrawReason ?? ""); draw \(last.seq) is kept in \(s.directory)/\(last.directory)")
                }
                printSummary(SampleSummary(d))
                print(
                    "written: \(s.directory)/plan.csv (internal), \(s.directory)/notice.csv (publishable), \(s.directory)/ledger.csv "
                        + "(internal), \(s.directory)/audit.json (internal)")
            }
        }

        private func printSummary(_ summary: SampleSummary) {
            print(
                "  drawn: \(summary.drawn) of \(summary.enterprisesInScope) enterprises in scope "
                    + "(\(summary.enterprisesInRun) in the run; the ratios ask for \(summary.totalByRatio)"
                    + (summary.expected.map { ", expected \(decimal($0)))" } ?? ")"))
            let indent = summary.declaresGroups ? "    " : "  "
            for g in summary.groups {
                if summary.declaresGroups {
                    var what = [g.rule.map { "where \($0)" } ?? "everyone else in scope"]
                    if let w = g.weight { what.append("weighted by \(w), expected \(decimal(g.expected))") }
                    print("  group \(g.id): \(g.drawn) of \(g.size) (\(g.ratios.text); \(what.joined(separator: "; ")))")
                }
                for c in g.classes { print("\(indent)class \(c.code): \(c.drawn) of \(c.size) (ratio \(c.ratio.percentText))") }
            }
            if let floor = summary.floor { print("  floor: every enterprise in scope has a probability of at least \(floor.percentText)") }
            let strataText = summary.declaresGroups ? "group strata" : summary.strataKeys.joined(separator: " × ")
            print("  strata: \(summary.strataCount) (\(strataText)); sizes in audit.json")
            for dep in summary.departments {
                print(
                    "  \(dep.name) inspectors: \(dep.perEnterprise) per enterprise for \(dep.items.joined(separator: ", ")); "
                        + "\(dep.inspectorsUsed) inspectors used, highest load \(dep.highestLoad)")
            }
        }
    }
}

/// A number with up to two decimals, for people.
private func decimal(_ x: Double) -> String {
    let r = (x * 100).rounded() / 100
    return r == r.rounded() ? String(Int(r)) : String(r)
}
