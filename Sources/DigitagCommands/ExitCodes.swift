import ArgumentParser
import DigiTagBase
import Foundation

/// Runs a command body, printing failures as a person should read them and exiting with their code.
///
/// Every library error says which exit code it means (`DigitagError`); this is the one place that prints
/// it. The documented codes are `ExitStatus`'s (docs/operators.md).
func reportingFailures(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let e as ExitCode {
        throw e
    } catch let e as ValidationError {
        throw e
    } catch {
        let (status, lines) = FailureReport.of(error)
        for line in lines { printError(line) }
        throw ExitCode(status.rawValue)
    }
}

/// What the command line prints for an error, and the exit status it ends with.
enum FailureReport {
    static func of(_ error: any Error) -> (ExitStatus, [String]) {
        if let e = error as? any DigitagError { return (e.exitStatus, e.report) }
        if let place = ExitStatus.environmentDescription(error) {
            return (
                .environment,
                [
                    "digitag: \(place)",
                    "digitag: check that the folder exists, is writable by this user and its disk has room; nothing was published",
                ]
            )
        }
        return (.internalError, ["digitag: internal error: \(error)", "digitag: this is a bug: please report it with the command you ran"])
    }
}

func printError(_ s: String) {
    FileHandle.standardError.write(Data((s + "\n").utf8))
}

/// True when stderr is a terminal: only then do we show progress.
var stderrIsTerminal: Bool { isatty(2) == 1 }
