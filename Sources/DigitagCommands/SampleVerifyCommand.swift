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
                the sample's plan.csv, notice.csv and audit.json and a fresh re-run (exit 7). Run it from the directory
                the draw was made in (paths in audit.json are as the draw's command gave them), or pass --run.
                """)

        @OptionGroup var sample: SampleDirectoryArgument

        @OptionGroup var runOverride: AuditedRunOption

        func run() throws {
            try reportingFailures {
                let v = try SampleVerifier.verify(directory: sample.directory, runDirectory: runOverride.directory)
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
}
