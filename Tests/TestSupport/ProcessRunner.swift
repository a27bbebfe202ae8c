import Foundation

/// Runs programs for tests — above all the built `digitag` — as a person would.
public enum ProcessRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The binary under test: `DIGITAG_BIN`, else the debug build in the repository.
    public static let digitag: String = ProcessInfo.processInfo.environment["DIGITAG_BIN"] ?? TestPaths.repo(".build/debug/digitag")

    /// Runs a program to completion. Output goes through files, not pipes, so a chatty program cannot block
    /// on a full pipe while the test waits for it.
    /// - Parameter environment: variables added to (or replacing) this process's environment.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String = TestPaths.repositoryRoot, environment: [String: String] = [:]
    ) throws -> Result {
        let scratch = TestPaths.temporaryDirectory("digitag-process")
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout"
        let errPath = scratch + "/stderr"
        guard FileManager.default.createFile(atPath: outPath, contents: nil),
            FileManager.default.createFile(atPath: errPath, contents: nil),
            let out = FileHandle(forWritingAtPath: outPath), let err = FileHandle(forWritingAtPath: errPath)
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: scratch])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        try? out.close()
        try? err.close()
        return Result(status: process.terminationStatus, stdout: TestPaths.read(outPath), stderr: TestPaths.read(errPath))
    }
}

extension ProcessRunner {
    /// The SHA-256 of a file's bytes in hex, by coreutils' `sha256sum`: an implementation independent of the
    /// project's (libcrypto behind DigiTagIO/SHA256.swift), for tests that check digests.
    public static func sha256sum(file: String) throws -> String {
        String(try run("/usr/bin/sha256sum", [file]).stdout.prefix(64))
    }

    /// The SHA-256 of `text`'s UTF-8 bytes in hex, by `sha256sum` as above.
    public static func sha256sum(_ text: String) throws -> String {
        let file = TestPaths.temporaryDirectory("sha256sum") + "/input"
        try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        return try sha256sum(file: file)
    }
}
