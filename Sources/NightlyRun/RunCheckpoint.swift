import DigiTagBase
import Engine
import Foundation
import RunModel

/// What a rerun needs to resume after a finished ingest: written in the staging folder once the record
/// sources are spilled, read by the next run with the same inputs, pipeline, date and shard plan.
///
/// Inputs count as unchanged when every file has the same path, size and modification time; the
/// pipeline by its hash. Anything else and the staging folder is discarded: the run starts over.
struct RunCheckpoint: Codable, Equatable {
    static let version = 1
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
            let c = try? JSONDecoder().decode(RunCheckpoint.self, from: data), c.version == version
        else { return nil }
        return c
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

    init(definition: PipelineDefinition, options: RunOptions) throws {
        pipelineHash = definition.hash
        asOf = options.asOf.description
        input = options.input
        files = try Ingest.inputFiles(sources: definition.sources, input: options.input).joined().map {
            "\($0) \(FileSystem.fingerprint($0))"
        }
    }
}
