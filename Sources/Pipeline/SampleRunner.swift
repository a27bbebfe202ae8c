import Crypto
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import Sampling

/// Runs a sampling task on a published run and writes the plan and its audit record.
public enum SampleRunner {
    public struct Summary: Sendable {
        public var directory: String
        public var population: Int
        public var drawn: Int
        public var strata: [StratumResult]
    }

    /// Reads the candidates from a run's `classes.csv`.
    public static func candidates(run: String) throws -> [Candidate] {
        let path = FileSystem.join(run, "classes.csv")
        let table = try ReferenceTable.load(path, requiredColumns: ["uscc", "name", "region", "city", "class"])
        let h = Dictionary(uniqueKeysWithValues: table.header.enumerated().map { ($1, $0) })
        return table.rows.map {
            Candidate(uscc: $0[h["uscc"]!], name: $0[h["name"]!], region: $0[h["region"]!], city: $0[h["city"]!], riskClass: $0[h["class"]!])
        }
    }

    public static func run(runDirectory: String, taskPath: String, seed: String, output: String) throws -> Summary {
        let task = try SamplingTask.load(path: taskPath)
        let manifestPath = FileSystem.join(runDirectory, "manifest.json")
        let manifest = try Manifest.read(manifestPath)
        let population = try candidates(run: runDirectory)
        let result = Draw.run(task: task, seed: seed, candidates: population)
        try FileSystem.createDirectory(output)

        let plan = try CSVWriter(
            path: FileSystem.join(output, "plan.csv"),
            header: ["task_id", "uscc", "name", "region", "city", "class", "stratum", "rank", "ticket"], bom: true)
        for s in result.selections {
            let c = s.candidate
            try plan.row([task.id, c.uscc, c.name, c.region, c.city, c.riskClass, s.stratum, String(s.rank), s.ticket.hex])
        }
        try plan.close()

        let audit = AuditRecord(
            taskID: task.id, taskFile: taskPath, taskSHA256: sha256(Data(task.sourceText.utf8)), seed: seed,
            runDirectory: runDirectory, runAsOf: manifest.asOf,
            runManifestSHA256: sha256(FileManager.default.contents(atPath: manifestPath) ?? Data()),
            pipelineHash: manifest.pipelineHash, ticket: "SHA-256(seed ␟ task_id ␟ uscc), first 8 bytes big-endian, lowest first",
            allocation: "largest remainder over strata of \(task.strata.joined(separator: " × "))",
            population: population.count, drawn: result.selections.count,
            strata: result.strata.map { .init(key: $0.key, size: $0.size, ratio: $0.ratio, drawn: $0.drawn) },
            rerun: "digitag sample --run \(runDirectory) --task \(taskPath) --seed '\(seed)' --out \(output)")
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try FileSystem.writeAtomically(try e.encode(audit), to: FileSystem.join(output, "audit.json"))
        return Summary(directory: output, population: population.count, drawn: result.selections.count, strata: result.strata)
    }

    static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }
}

/// `audit.json`: everything needed to re-run and check a draw.
public struct AuditRecord: Codable, Sendable {
    public struct Stratum: Codable, Sendable {
        public var key: String
        public var size: Int
        public var ratio: Double
        public var drawn: Int
    }

    public var taskID: String
    public var taskFile: String
    public var taskSHA256: String
    public var seed: String
    public var runDirectory: String
    public var runAsOf: String
    public var runManifestSHA256: String
    public var pipelineHash: String
    public var ticket: String
    public var allocation: String
    public var population: Int
    public var drawn: Int
    public var strata: [Stratum]
    public var rerun: String

    enum CodingKeys: String, CodingKey {
        case taskID = "task_id"
        case taskFile = "task_file"
        case taskSHA256 = "task_sha256"
        case seed
        case runDirectory = "run_directory"
        case runAsOf = "run_as_of"
        case runManifestSHA256 = "run_manifest_sha256"
        case pipelineHash = "pipeline_hash"
        case ticket, allocation, population, drawn, strata, rerun
    }
}
