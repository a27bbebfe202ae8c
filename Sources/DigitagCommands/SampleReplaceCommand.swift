import ArgumentParser
import DataContract
import DigiTagBase
import Foundation
import Inspection
import Sampling

extension SampleCommand {
    /// `digitag sample replace`: gives a dropped enterprise's place to the next ticket of its stratum.
    struct Replace: ParsableCommand {
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

        @OptionGroup var sample: SampleDirectoryArgument

        @Option(help: "The USCC of the drawn enterprise to replace.")
        var uscc: String

        @Option(help: "Why: deregistered, revoked, unreachable, out_of_scope, other.")
        var reason: String

        @Option(help: "A note kept with the replacement (required for out_of_scope and other).")
        var note: String = ""

        @OptionGroup var runOverride: AuditedRunOption

        func validate() throws {
            if case .failure(let p) = USCC.parseTyped(uscc) { throw ValidationError("'\(uscc)' is not a valid USCC: \(p)") }
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
                let request = ReplacementRequest(uscc: USCC.normalize(uscc), reason: ReplacementReason(rawValue: reason)!, note: note)
                let outcome = try SampleReplacer.replace(directory: sample.directory, request: request, runDirectory: runOverride.directory)
                let s = outcome.record.selection
                print("replaced \(USCC.normalize(uscc)) (\(reason)) with \(s.candidate.uscc) \(s.candidate.name)")
                print("  stratum \(s.stratum), rank \(s.rank): the next ticket not drawn or used yet (\(s.ticket.hex.prefix(16))…)")
                let teams = outcome.draw.assignment.teams[s.candidate.uscc] ?? []
                print("  inspectors: " + teams.map { "\($0.department)=" + $0.inspectors.joined(separator: "+") }.joined(separator: "|"))
                print("  replacements so far: \(outcome.draw.replacements.count); verify with: digitag sample verify \(sample.directory)")
            }
        }
    }
}
