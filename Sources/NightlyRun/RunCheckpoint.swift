import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import RunModel

/// What a rerun needs to resume after a finished ingest: written in the staging folder once the record
/// sources are spilled, read by the next run with the same inputs, pipeline, date and shard plan.
///
/// Inputs count as unchanged when every file has the same path, size and modification time and its
/// content the same SHA-256 as when it was read (re-hashed before resuming: an edit that keeps the size
/// and restores the mtime must not bring back stale records); the pipeline by its hash. Anything else and
/// the staging folder is discarded: the run starts over.
struct RunCheckpoint: Codable, Equatable {
    static let version = 2
    static let directoryName = ".checkpoint"
    static let spillDirectoryName = ".spill"
    var version = RunCheckpoint.version
    var fingerprint: RunFingerprint
    var ingest: IngestCheckpoint

    static func path(staging: String) -> String {
        FileSystem.join(FileSystem.join(staging, directoryName), "ingest.json")
    }

    static func load(staging: String) -> RunCheckpoint? {
        guard let data = FileManager.default.contents(atPath: path(staging: staging)),
            let c = try? JSONDecoder().decode(RunCheckpoint.self, from: data), c.version == version,
            c.inputsHaveTheirHashes
        else { return nil }
        return c
    }

    /// True when every input file the checkpoint read still has the SHA-256 it had then (read pass).
    /// - Complexity: reads every input once (stored bytes, no parsing): see docs/operators.md for the cost.
    var inputsHaveTheirHashes: Bool {
        ingest.stats.allSatisfy { source in
            source.files.allSatisfy { f in (try? ByteSource.sha256(ofStoredFile: f.path)) == f.sha256 }
        }
    }

    func write(staging: String) throws {
        try FileSystem.createDirectory(FileSystem.join(staging, RunCheckpoint.directoryName))
        try FileSystem.writeAtomically(try JSONEncoder().encode(self), to: RunCheckpoint.path(staging: staging))
    }

    /// Removes what only a run in progress needs (spill files, checkpoint) before publishing or failing.
    static func removeWork(staging: String) {
        for name in [directoryName, spillDirectoryName] {
            try? FileManager.default.removeItem(atPath: FileSystem.join(staging, name))
        }
    }
}

/// The identity of a run's inputs: equal fingerprints, equal ingest.
struct RunFingerprint: Codable, Equatable {
    var pipelineHash: String
    var asOf: String
    var input: String
    /// "path size:mtime" of every input file, in source and file order.
    var files: [String]
    /// "source=encoding" of every source: a rerun with another `--encoding` reads the files again.
    var encodings: [String]

    init(definition: PipelineDefinition, options: RunOptions) throws {
        pipelineHash = definition.hash
        asOf = options.asOf.description
        input = options.input
        encodings = definition.sources.sources.map { "\($0.name)=\($0.encoding.rawValue)" }
        files = try Ingest.inputFiles(sources: definition.sources, input: options.input).joined().map {
            "\($0) \(FileSystem.fingerprint($0))"
        }
    }
}
