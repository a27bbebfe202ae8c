import Catalog
import DigiTagBase
import DigiTagIO

/// The accepted rows of every source, their ledgers, and the enterprise order.
public struct IngestResult: Sendable {
    public var tables: [SourceTable]
    public var stats: [SourceStats]
    public var index: EnterpriseIndex
    public var entitySource: Int
}

/// Reads every source of a pipeline: registration first (the directory others refer to), then the
/// record sources in parallel, each into its own table and rejects file.
public enum Ingest {
    public static func run(
        sources: SourceCatalog, vocabulary: Vocabulary, input: String, asOf: Day, rejectsDirectory: String, threads: Int
    ) throws -> IngestResult {
        try FileSystem.createDirectory(rejectsDirectory)
        let entitySource = sources.sources.firstIndex { $0.isEntity }!
        var filesBySource: [[String]] = []
        for s in sources.sources {
            let files = SourceFiles.find(input: input, base: s.files)
            if files.isEmpty {
                throw InputError(
                    file: FileSystem.join(input, s.files + ".csv"),
                    message: "no file for source \(s.name) (looked for \(s.files).csv, .csv.zst and \(s.files)-*.csv[.zst])")
            }
            filesBySource.append(files)
        }
        @Sendable func rejectsPath(_ s: SourceSchema) -> String { FileSystem.join(rejectsDirectory, s.name + ".csv") }

        let entity = sources.sources[entitySource]
        let registration = try SourceIngestor(
            schema: entity, vocabulary: vocabulary, asOf: asOf, enterprises: nil, rejectsPath: rejectsPath(entity))
        for f in filesBySource[entitySource] { try registration.ingest(file: f) }
        try registration.finish()
        var enterprises = [UInt128: Int32](minimumCapacity: registration.table.count + registration.futureKeys.count)
        for (row, key) in registration.table.keys.enumerated() { enterprises[key] = Int32(row) }
        for key in registration.futureKeys { enterprises[key] = -1 }

        let directory = enterprises
        let files = filesBySource
        let others = sources.sources.indices.filter { $0 != entitySource }
        let results = try Parallel.map(count: others.count, threads: threads) { k -> (SourceTable, [FileStats]) in
            let s = sources.sources[others[k]]
            let ingestor = try SourceIngestor(
                schema: s, vocabulary: vocabulary, asOf: asOf, enterprises: directory, rejectsPath: rejectsPath(s))
            for f in files[others[k]] { try ingestor.ingest(file: f) }
            try ingestor.finish()
            return (ingestor.table, ingestor.stats)
        }
        var tables = [SourceTable](repeating: SourceTable(fieldCount: 0), count: sources.sources.count)
        var stats = [SourceStats](repeating: SourceStats(source: "", files: []), count: sources.sources.count)
        tables[entitySource] = registration.table
        stats[entitySource] = SourceStats(source: entity.name, files: registration.stats)
        for (k, (table, fileStats)) in results.enumerated() {
            tables[others[k]] = table
            stats[others[k]] = SourceStats(source: sources.sources[others[k]].name, files: fileStats)
        }
        let index = EnterpriseIndex(
            tables: tables, entitySource: entitySource, peerKeyField: entity.fieldIndex(TagCatalog.peerKeyField))
        return IngestResult(tables: tables, stats: stats, index: index, entitySource: entitySource)
    }
}
