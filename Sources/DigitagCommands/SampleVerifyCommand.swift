import DigiTagBase
import ArgumentParser
import Inspection

extension SampleCommand {
    /// `digitag sample verify`: re-runs a draw from its audit record and compares it with the sample's files.
    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Re-run a draw from its audit.json and compare it with the sample's files.",
            discussion: """
                Prints "identical" (exit 0), or every input that changed since the draw and every difference between
                the sample's plan.csv, notice.csv and audit.json and a fresh re-run (exit 7). Every earlier draw kept by a
                redraw (draws/<n>/) is verified against its own audit record; results.csv is checked against the current
                plan. It says whether the seed was committed before the run it drew from was published; a seed committed
                after is a finding (exit 7); a seed not committed in advance is said, not failed. Run it from the directory
                the draw was made in (paths in audit.json are as the draw's command gave them), or pass --run.
                """)

        @OptionGroup var sample: SampleDirectoryArgument

        @OptionGroup var runOverride: AuditedRunOption

        func run() throws {
            try reportingFailures {
                let v = try SampleVerifier.verify(directory: sample.directory, runDirectory: runOverride.directory)
                if v.identical { print("identical") }
                for c in v.changedInputs { print("changed: \(c)") }
                for d in v.differences { print("differs: \(d)") }
                for n in v.notes { print(n) }
                for f in v.findings { print("finding: \(f)") }
                if v.passed { return }
                if !v.identical {
                    print("not identical: \(v.changedInputs.count) input\(v.changedInputs.count == 1 ? "" : "s") changed, \(v.differences.count) difference\(v.differences.count == 1 ? "" : "s")")
                } else {
                    print("not verified: \(v.findings.count) finding\(v.findings.count == 1 ? "" : "s") about the seed")
                }
                throw ExitCode(ExitStatus.verificationFailed.rawValue)
            }
        }
    }
}
