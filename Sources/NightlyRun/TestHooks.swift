import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Crash points for the crash-safety tests: with `DIGITAG_TEST_KILL_AFTER=<stage>` in the environment,
/// the process sends itself SIGKILL right after that stage, exactly as an operator's `kill -9` would.
/// Stages: "ingest", "half of derive". Unset in normal use, where this does nothing.
enum TestHooks {
    static let killAfter = ProcessInfo.processInfo.environment["DIGITAG_TEST_KILL_AFTER"]

    static func stop(after stage: String) {
        if killAfter == stage { kill(getpid(), SIGKILL) }
    }
}
