import ArgumentParser
import DigiTagBase
import Foundation
import Inspection

extension SampleCommand {
    /// `digitag sample commit TASK_FILE`: fixes a task's seed before the data is known.
    struct Commit: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "commit",
            abstract: "Fix a task's seed before the run: commit to a secret nonce, publish its SHA-256 with the task.",
            discussion: """
                Reads 32 bytes from /dev/urandom (the only randomness digitag uses), writes them as hex to a private file
                (commitments/<task id>.nonce, readable by you only: keep it secret until the draw, and out of the published
                pipeline files), and adds seed: {commitment: SHA-256(nonce), committed_at: <now>} to the task file. Publish
                the task file (or the printed commitment, task id and time) before the run the task will draw from. The
                draw reads the nonce, checks that its SHA-256 is the commitment and uses it as the seed; audit.json then
                shows the nonce, so anyone can check it with sha256sum, and 'sample verify' says whether the commitment
                came before the run was published. A task whose seed is recorded already is refused (exit 2).
                """)

        @Argument(help: "The task file (the seed line is added to it).")
        var taskFile: String

        @Option(help: "Where to keep the nonce (default: commitments/<task id>.nonce).")
        var nonce: String?

        func run() throws {
            try reportingFailures {
                let bytes = try Self.randomBytes(32)
                let o = try SeedCommitter.commit(taskPath: taskFile, nonce: bytes, at: Date(), nonceFile: nonce)
                print("task \(o.taskID): seed committed")
                print("  commitment:   \(o.commitment)  (SHA-256 of the nonce)")
                print("  committed_at: \(o.committedAt)")
                print("  written: \(taskFile) (seed: {commitment, committed_at}: publish it with the task before the run), "
                    + "\(o.nonceFile) (the nonce: private until the draw)")
            }
        }

        /// Random bytes from the kernel: the one place randomness enters digitag, kept out of the libraries.
        static func randomBytes(_ n: Int) throws -> [UInt8] {
            guard let h = FileHandle(forReadingAtPath: "/dev/urandom") else {
                throw WriteError(path: "/dev/urandom", reason: "cannot be opened for reading")
            }
            defer { try? h.close() }
            guard let data = try h.read(upToCount: n), data.count == n else {
                throw WriteError(path: "/dev/urandom", reason: "gave fewer than \(n) bytes")
            }
            return [UInt8](data)
        }
    }
}
