import DigiTagBase
import Foundation
import Sampling

/// `digitag sample replace`: a drawn enterprise that turns out deregistered or unreachable gives its place to
/// the next ticket of its stratum, recorded in `audit.json` so that `sample verify` can recompute it.
///
/// A sample directory is a pure function of its draw's inputs and the list of replacement requests: `replace`
/// re-runs the draw from `audit.json`, checks that it reproduces the files (a sample that does not verify is
/// never built upon), replays the recorded replacements, adds the new one and writes every file again.
public enum SampleReplacer {
    public struct Outcome: Sendable {
        public var record: ReplacementRecord
        public var draw: SampleDraw
    }

    /// Applies `requests` in order to a draw, from the draw's own state (replacements already applied are
    /// replaced by these): who replaces whom, then each replacement's inspectors.
    public static func apply(_ requests: [ReplacementRequest], to d: inout SampleDraw) throws {
        let records = try Replacements.apply(requests, to: d.result, task: d.task, seed: d.seed, candidates: d.candidates)
        let context = Assignment.Context(
            seed: d.seed, taskID: d.task.id, items: d.items, rules: d.task.inspection, roster: d.roster, history: d.history)
        var assignment = d.drawnAssignment
        for r in records {
            assignment = try Assignment.replace(r.request.uscc, with: r.selection, in: assignment, context)
        }
        d.assignment = assignment
        d.replacements = records
    }

    /// Replaces `request.uscc` in the sample at `directory` and rewrites its files.
    ///
    /// - Throws: `SampleNotVerified` when the sample does not reproduce (nothing is written), `ReplacementError`
    ///   when the enterprise is not drawn or its stratum has nobody left, `AssignmentFailure` when no inspector
    ///   with spare capacity can serve the replacement.
    public static func replace(directory: String, request: ReplacementRequest, runDirectory: String? = nil) throws -> Outcome {
        let (verification, redrawn) = try SampleVerifier.check(directory: directory, runDirectory: runDirectory)
        guard verification.passed, var d = redrawn else { throw SampleNotVerified(verification: verification) }
        try apply(d.replacements.map(\.request) + [request], to: &d)
        try SampleOutputs.write(d, to: directory)
        return Outcome(record: d.replacements.last!, draw: d)
    }
}

/// A sample that does not verify cannot be changed: the differences are listed.
public struct SampleNotVerified: DigitagError, Sendable {
    public var verification: SampleVerification
    public var exitStatus: ExitStatus { .verificationFailed }
    public var report: [String] {
        [description, "digitag: the sample does not verify: nothing was changed (see 'digitag sample verify')"]
    }

    public var description: String {
        (verification.changedInputs.map { "changed: \($0)" } + verification.differences.map { "differs: \($0)" }
            + verification.findings.map { "finding: \($0)" }).joined(separator: "\n")
    }
}
