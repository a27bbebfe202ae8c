import DigiTagIO
import DigiTagBase
import DigiTagIO
import Foundation

/// One file a pipeline reads: what it is for, where it is now, and the path a run's copy gives it.
public struct PipelineFile: Sendable, Equatable {
    /// `sources`, `regions`, `industries`, `risk`, `tags`, `items` or `default_task`.
    public var role: String
    /// As the pipeline names it, joined to the pipeline's folder.
    public var path: String
    /// Relative to the pipeline's folder; the file's name alone when it lives outside that folder.
    public var relative: String

    public init(role: String, path: String, relative: String) {
        self.role = role
        self.path = path
        self.relative = relative
    }

    /// The pipeline hash (version 2): the name, then per file its role, for tag files its relative path
    /// (their order is the catalog's), and its bytes, each length-prefixed so no two inputs collide.
    static func hash(name: String, files: [PipelineFile]) throws -> String {
        var hasher = SHA256()
        func field(_ data: Data) {
            var n = UInt64(data.count).littleEndian
            hasher.update(data: Data(bytes: &n, count: 8))
            hasher.update(data: data)
        }
        field(Data("digitag pipeline hash 2".utf8))
        field(Data(name.utf8))
        for f in files {
            field(Data(f.role.utf8))
            field(Data((f.role == "tags" ? f.relative : "").utf8))
            guard let bytes = FileManager.default.contents(atPath: f.path) else {
                throw Diagnostic(SourceLocation(file: f.path), "cannot read this \(f.role) file of the pipeline")
            }
            field(bytes)
        }
        return HexDigest.hex(hasher.finalize())
    }
}
