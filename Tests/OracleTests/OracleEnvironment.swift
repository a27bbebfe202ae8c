import Foundation
import TestSupport

/// A failure of the oracle's own machinery (a command that failed, DuckDB missing), with what to do.
struct OracleError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What the oracle tests need from the machine: the built `digitag` and DuckDB in the repository's `.venv`.
///
/// The tests run the built binary, as a user would, rather than calling the engine in-process: the
/// oracle then also covers the command line, the files a run writes and `digitag tags sql` itself.
enum OracleEnvironment {
    /// The binary under test: `$DIGITAG_BIN`, or the debug build of `swift build`.
    static var binary: String {
        ProcessInfo.processInfo.environment["DIGITAG_BIN"] ?? TestPaths.repo(".build/debug/digitag")
    }

    static var python: String { TestPaths.repo(".venv/bin/python") }

    /// Runs `scripts/duckdb-venv.sh` once per test process (it does nothing when `.venv` is ready).
    /// A machine without DuckDB fails the oracle loudly: skipping it would hide every disagreement.
    private static let venvSetup: Result<Void, OracleError> = {
        let script = TestPaths.repo("scripts/duckdb-venv.sh")
        do {
            _ = try run("/bin/bash", [script])
            return .success(())
        } catch {
            return .failure(
                OracleError(
                    "DuckDB for the oracle tests is not available: \(script) failed (it creates .venv and installs "
                        + "duckdb from PyPI; run it by hand or `make oracle-env` to see why).\n\(error)"))
        }
    }()

    static func requireDuckDB() throws { try venvSetup.get() }

    static func requireBinary() throws {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw OracleError("no digitag binary at \(binary): build it first (`swift build`), or set DIGITAG_BIN")
        }
    }

    /// Runs `digitag` with `arguments` from the repository root; returns its standard output.
    @discardableResult
    static func digitag(_ arguments: [String]) throws -> String {
        try requireBinary()
        return try run(binary, arguments)
    }

    /// Runs a program to completion; throws with the command and its output when it exits non-zero.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let result = try execute(executable, arguments)
        guard result.status == 0 else {
            let command = ([executable] + arguments).joined(separator: " ")
            throw OracleError("`\(command)` exited with \(result.status)\n\(result.stderr)\(result.stdout.suffix(2000))")
        }
        return result.stdout
    }

    /// Runs a program to completion from the repository root (see `ProcessRunner`).
    static func execute(_ executable: String, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let r: ProcessRunner.Result
        do { r = try ProcessRunner.run(executable, arguments) } catch { throw OracleError("cannot start \(executable): \(error)") }
        return (r.status, r.stdout, r.stderr)
    }
}
