import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Foundation

/// The result of ingest: registration in memory, every record source spilled by shard, the ledgers.
public struct IngestResult: Sendable {
    public var registration: SourceTable
    public var stats: [SourceStats]
    public var index: EnterpriseIndex
    public var plan: ShardPlan
    public var spill: SpillSet
    public var entitySource: Int
    /// True when the record sources came from the `reuse` checkpoint instead of being read again.
    public var reusedCheckpoint = false
}

/// The part of an ingest a rerun can reuse: the record sources' spill files, ledgers and shard plan.
/// Registration is always read again (it is small, and the directory and shard plan are rebuilt from it).
public struct IngestCheckpoint: Sendable, Codable, Equatable {
    public var plan: ShardPlan
    /// By source; the registration source's entry is recomputed on reuse.
    public var stats: [SourceStats]
    public var spill: SpillSet

    public init(plan: ShardPlan, stats: [SourceStats], spill: SpillSet) {
        self.plan = plan
        self.stats = stats
        self.spill = spill
    }
}

/// Reads every source of a pipeline: registration first (the directory others refer to), then every
/// file of every record source in parallel (an ingest unit each), spilling accepted rows by shard.
public enum Ingest {
    /// Each source's files, in name order; an error names the first source without any.
    /// Byte-identical files among them are refused (`SourceFiles.refuseIdentical`).
    public static func inputFiles(sources: SourceCatalog, input: String) throws -> [[String]] {
        let files = try sources.sources.map { try SourceFiles.required($0, input: input) }
        try SourceFiles.refuseIdentical(files.flatMap { $0 })
        return files
    }

    /// Text fields of the registration source a run keeps: the name (shown) and the peer key.
    static let keptRegistrationTexts: Set<String> = ["name", TagCatalog.peerKeyField]

    public static func run(
        sources: SourceCatalog, vocabulary: Vocabulary, input: String, asOf: Day, rejectsDirectory: String, spillDirectory: String,
        threads: Int, sizing: ShardSizing, reuse: IngestCheckpoint? = nil
    ) throws -> IngestResult {
        try FileSystem.createDirectory(rejectsDirectory)
        try FileSystem.createDirectory(spillDirectory)
        let entitySource = sources.sources.firstIndex { $0.isEntity }!
        let filesBySource = try inputFiles(sources: sources, input: input)
        let registration = try readRegistration(
            sources.sources[entitySource], files: filesBySource[entitySource], vocabulary: vocabulary, asOf: asOf,
            rejectsPath: rejectsPath(sources.sources[entitySource], rejectsDirectory))
        let table = registration.table
        let index = EnterpriseIndex(registration: table, peerKeyField: sources.sources[entitySource].fieldIndex(TagCatalog.peerKeyField))
        let registrationStats = SourceStats(source: sources.sources[entitySource].name, files: registration.stats)
        let layouts = sources.sources.map { $0.isEntity ? nil : RecordLayout(schema: $0) }

        let plan = sizing.plan(
            enterprises: table.count,
            inputBytesPerEnterprise: estimatedRecordBytes(filesBySource, except: entitySource) / Double(max(1, table.count)))
        if let reuse, reuse.plan == plan, reuse.spill.layouts == layouts, reuse.spill.directory == spillDirectory {
            var stats = reuse.stats
            stats[entitySource] = registrationStats
            return IngestResult(
                registration: table, stats: stats, index: index, plan: plan, spill: reuse.spill, entitySource: entitySource,
                reusedCheckpoint: true)
        }

        var (stats, spillFiles) = try readRecordSources(
            sources, files: filesBySource, vocabulary: vocabulary, asOf: asOf,
            directory: index.directory(keys: table.keys, futureKeys: registration.futureKeys),
            rejectedRegistrations: registration.rejectedKeys, layouts: layouts, plan: plan, rejectsDirectory: rejectsDirectory, spillDirectory: spillDirectory, threads: threads)
        stats[entitySource] = registrationStats
        return IngestResult(
            registration: table, stats: stats, index: index, plan: plan,
            spill: SpillSet(directory: spillDirectory, layouts: layouts, files: spillFiles), entitySource: entitySource)
    }

    /// `<rejects>/<source>.csv`: a source's rejected rows, of all its files.
    private static func rejectsPath(_ s: SourceSchema, _ rejectsDirectory: String) -> String {
        FileSystem.join(rejectsDirectory, s.name + ".csv")
    }

    /// The registration source, read first and in file order: the directory other sources refer to.
    private static func readRegistration(_ schema: SourceSchema, files: [String], vocabulary: Vocabulary, asOf: Day, rejectsPath: String)
        throws -> SourceIngestor
    {
        let registration = try SourceIngestor(
            schema: schema, vocabulary: vocabulary, asOf: asOf, keepTexts: keptRegistrationTexts, rejectsPath: rejectsPath)
        for f in files { try registration.ingest(file: f) }
        try registration.finish()
        return registration
    }

    /// Every file of every record source, one ingest unit each, in parallel: accepted rows spilled by shard,
    /// rejects written per unit and then joined per source in input order.
    /// - Returns: by source (the registration's entries empty), each file's ledger and spill file, in input order.
    private static func readRecordSources(
        _ sources: SourceCatalog, files filesBySource: [[String]], vocabulary: Vocabulary, asOf: Day, directory: [UInt128: Int32],
        rejectedRegistrations: [UInt128: String], layouts: [RecordLayout?], plan: ShardPlan, rejectsDirectory: String, spillDirectory: String, threads: Int
    ) throws -> (stats: [SourceStats], spill: [[SpillFile]]) {
        let entitySource = sources.sources.firstIndex { $0.isEntity }!
        // One unit per record file; the largest first, so the last to finish is a small one.
        let units = sources.sources.indices.filter { $0 != entitySource }.flatMap { s in
            filesBySource[s].indices.map { (source: s, file: $0) }
        }
        let sizes = units.map { FileSystem.size(filesBySource[$0.source][$0.file]) }
        let schedule = units.indices.sorted { sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1 }
        let partsDirectory = FileSystem.join(rejectsDirectory, ".parts")
        try FileSystem.createDirectory(partsDirectory)
        let blockBytes = max(16 << 10, min(256 << 10, (32 << 20) / plan.count))
        let scheduled = try Parallel.map(count: schedule.count, threads: threads) { j -> (FileStats, SpillFile) in
            let unit = units[schedule[j]]
            let s = sources.sources[unit.source]
            let name = "\(s.name).\(unit.file)"
            let writer = try SpillWriter(
                directory: spillDirectory, name: name + ".spill", source: unit.source, layout: layouts[unit.source]!, plan: plan,
                blockBytes: blockBytes)
            let ingestor = try SourceIngestor(
                schema: s, vocabulary: vocabulary, asOf: asOf, enterprises: directory, spill: writer,
                rejectsPath: FileSystem.join(partsDirectory, name + ".csv"))
            ingestor.rejectedRegistrations = rejectedRegistrations
            try ingestor.ingest(file: filesBySource[unit.source][unit.file])
            try ingestor.finish()
            return (ingestor.stats[0], try writer.finish())
        }
        var results = [(FileStats, SpillFile)?](repeating: nil, count: units.count)
        for (j, u) in schedule.enumerated() { results[u] = scheduled[j] }

        var stats = sources.sources.map { SourceStats(source: $0.name, files: []) }
        var spillFiles = [[SpillFile]](repeating: [], count: sources.sources.count)
        for (u, unit) in units.enumerated() {
            stats[unit.source].files.append(results[u]!.0)
            spillFiles[unit.source].append(results[u]!.1)
        }
        // Each source's rejects: its units' files in input order, one header.
        for s in sources.sources.indices where s != entitySource {
            let parts = filesBySource[s].indices.map { FileSystem.join(partsDirectory, "\(sources.sources[s].name).\($0).csv") }
            try concatenateCSV(parts, into: rejectsPath(sources.sources[s], rejectsDirectory))
        }
        try? FileManager.default.removeItem(atPath: partsDirectory)
        return (stats, spillFiles)
    }

    /// Uncompressed CSV bytes of the record sources, estimated: zstd files count 5× their size (what
    /// CSV of this kind compresses by). Only sizes the shards; nothing depends on its accuracy.
    static func estimatedRecordBytes(_ files: [[String]], except entity: Int) -> Double {
        var total = 0.0
        for (s, list) in files.enumerated() where s != entity {
            for f in list { total += Double(FileSystem.size(f)) * (f.hasSuffix(".zst") ? 5 : 1) }
        }
        return total
    }

    /// Concatenates CSV files that share a header into one, keeping the first header only. Streams in
    /// blocks: a bad delivery can reject millions of rows.
    static func concatenateCSV(_ parts: [String], into path: String) throws {
        let out = try OutputFile(creating: path)
        for (i, part) in parts.enumerated() {
            guard let input = FileHandle(forReadingAtPath: part) else {
                throw FileReadError(file: part, message: "cannot read rejects part", exitStatus: .environment)
            }
            defer { try? input.close() }
            var skippingHeader = i > 0
            while let block = try input.read(upToCount: 1 << 20), !block.isEmpty {
                if skippingHeader {
                    guard let headerEnd = block.firstIndex(of: 0x0A) else { continue }
                    skippingHeader = false
                    try block[(headerEnd + 1)...].withUnsafeBytes { try out.write($0) }
                } else {
                    try block.withUnsafeBytes { try out.write($0) }
                }
            }
        }
        try out.close()
    }
}
