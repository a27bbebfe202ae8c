import ArgumentParser
import DigiTagBase
import Engine
import Foundation
import Inspection
import NightlyRun
import RunModel
import Sampling

/// The documented exit codes, one per kind of failure an operator must tell apart.
public enum DigitagExit {
    public static let success: Int32 = 0
    public static let internalError: Int32 = 1
    public static let configurationError: Int32 = 2
    public static let badInput: Int32 = 3
    /// A data-quality gate failed: nothing was published; the message names each gate and by how much.
    public static let gateFailed: Int32 = 4
    /// Another run holds the output directory's lock; the message names its PID.
    public static let runActive: Int32 = 5
    /// `digitag sample`: the inspectors cannot be assigned under the task's rules (too few qualified, every
    /// candidate avoided, or workload caps used up), or `sample replace` finds nobody left in the stratum.
    /// The message names each enterprise, department and rule.
    public static let assignmentImpossible: Int32 = 6
    /// `digitag sample verify`: the sample differs from a re-run of its draw, or its inputs changed since
    /// (`sample replace` refuses such a sample with the same code).
    public static let verificationFailed: Int32 = 7
}

/// Runs a command body, printing failures as a person should read them and exiting with their code.
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as DiagnosticsError {
        printError(e.description)
        printError("digitag: \(e.diagnostics.count) problem\(e.diagnostics.count == 1 ? "" : "s") in the configuration")
        throw ExitCode(DigitagExit.configurationError)
    } catch let d as Diagnostic {
        printError(d.description)
        throw ExitCode(DigitagExit.configurationError)
    } catch let e as GateFailedError {
        printError("digitag: \(e)")
        throw ExitCode(DigitagExit.gateFailed)
    } catch let e as RunLockedError {
        printError("digitag: \(e)")
        throw ExitCode(DigitagExit.runActive)
    } catch let e as InputError {
        printError("digitag: bad input: \(e)")
        throw ExitCode(DigitagExit.badInput)
    } catch let e as InputProblems {
        printError(e.description)
        printError("digitag: \(e.diagnostics.count) problem\(e.diagnostics.count == 1 ? "" : "s") in the input; nothing was written")
        throw ExitCode(DigitagExit.badInput)
    } catch let e as ReplacementError {
        printError("digitag: cannot replace: \(e)")
        throw ExitCode(e.isBadRequest ? DigitagExit.badInput : DigitagExit.assignmentImpossible)
    } catch let e as SampleNotVerified {
        printError(e.description)
        printError("digitag: the sample does not verify: nothing was changed (see 'digitag sample verify')")
        throw ExitCode(DigitagExit.verificationFailed)
    } catch let e as AssignmentFailure {
        printError(e.problems.map { "digitag: cannot assign inspectors: \($0)" }.joined(separator: "\n"))
        printError(
            "digitag: \(e.problems.count) problem\(e.problems.count == 1 ? "" : "s"): the task's inspector rules cannot be met; "
                + "nothing was written")
        throw ExitCode(DigitagExit.assignmentImpossible)
    } catch let e as ExitCode {
        throw e
    } catch let e as ValidationError {
        throw e
    } catch {
        printError("digitag: internal error: \(error)")
        throw ExitCode(DigitagExit.internalError)
    }
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// True when stderr is a terminal: only then do we show progress.
var stderrIsTerminal: Bool { isatty(2) == 1 }
