import Engine
import Foundation

/// `manifest.json`: what a run read, what it made of it, and how long it took.
public struct Manifest: Codable, Sendable {
    public var formatVersion = 1
    public var pipeline: String
    public var pipelineHash: String
    public var asOf: String
    public var input: String
    public var enterprises: Int
    public var enterprisesAfterAsOf: Int
    public var tags: Int
    public var riskModel: String
    public var classCounts: [String: Int]
    public var sources: [SourceStats]
    public var outputs: [String]
    public var threads: Int
    public var shards: Int
    /// Wall-clock seconds per stage. The only part of a run's outputs that differs between reruns.
    public var timings: [String: Double]
    /// Every data-quality gate checked, passed or not.
    public var gates: [QualityGates.Result]?
    /// Wall and CPU time and peak memory per stage, in order (runs before format 1.1 have none).
    public var stages: [StageUsage]?
    /// Bytes of records spilled to disk by ingest (compressed), removed before publishing.
    public var spillBytes: Int64?
    /// True when this run reused the ingest of an interrupted run with the same inputs.
    public var resumed: Bool?
    /// When the run was published: ISO 8601 in UTC with milliseconds (`Manifest.timeText`), set as the
    /// manifest is written, just before the run is moved into place. Absent in a failed run's manifest
    /// (`.failed-<as-of>/`) and in runs published before it existed.
    public var publishedAt: String?
    /// By source (those that declare a natural key): records left out as repeats of an earlier record.
    public var duplicateRecords: [String: DuplicateRecordsReport]?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version"
        case pipeline
        case pipelineHash = "pipeline_hash"
        case asOf = "as_of"
        case input, enterprises
        case enterprisesAfterAsOf = "enterprises_after_as_of"
        case tags
        case riskModel = "risk_model"
        case classCounts = "class_counts"
        case sources, outputs, threads, shards, timings, gates, stages
        case spillBytes = "spill_bytes"
        case resumed
        case publishedAt = "published_at"
        case duplicateRecords = "duplicate_records"
    }

    /// A time as `published_at` writes it: `2025-01-10T09:30:00.125Z` (the sample audit's format too).
    public static func timeText(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: date)
    }

    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self)
    }

    public static func read(_ path: String) throws -> Manifest {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, message: "no manifest: this is not a complete run directory")
        }
        return try JSONDecoder().decode(Manifest.self, from: data)
    }

    package init(pipeline: String, pipelineHash: String, asOf: String, input: String, enterprises: Int, enterprisesAfterAsOf: Int, tags: Int, riskModel: String, classCounts: [String: Int], sources: [SourceStats], outputs: [String], threads: Int, shards: Int, timings: [String: Double], gates: [QualityGates.Result]? = nil, stages: [StageUsage]? = nil, spillBytes: Int64? = nil, resumed: Bool? = nil) {
        self.pipeline = pipeline
        self.pipelineHash = pipelineHash
        self.asOf = asOf
        self.input = input
        self.enterprises = enterprises
        self.enterprisesAfterAsOf = enterprisesAfterAsOf
        self.tags = tags
        self.riskModel = riskModel
        self.classCounts = classCounts
        self.sources = sources
        self.outputs = outputs
        self.threads = threads
        self.shards = shards
        self.timings = timings
        self.gates = gates
        self.stages = stages
        self.spillBytes = spillBytes
        self.resumed = resumed
    }
}
