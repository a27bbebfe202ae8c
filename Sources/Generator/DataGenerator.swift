import DigiTagBase
import DigiTagIO
import Dispatch
import Synchronization

/// Generates the synthetic input of every source in `Pipelines/sources.yaml`, plus `inspectors.csv`.
///
/// Two workers stream rows straight to the files, so memory stays flat at any size: the calling thread
/// writes registration and every history file; a second thread writes the (much larger, compressed) tax
/// filings. Both derive each enterprise's profile from `(seed, index)` alone, so they need not
/// communicate, and the bytes of every file are the same whatever the scheduling.
public enum DataGenerator {
    /// How often `progress` is called (in enterprises).
    static let progressStep = 1000

    /// - Parameter progress: called on the calling thread with the number of enterprises done so far.
    /// - Returns: the files written, paths relative to the output directory, in contract order.
    public static func generate(_ options: GeneratorOptions, progress: ((Int) -> Void)? = nil) throws -> [GeneratedFile]
    {
        guard options.enterprises >= 0 else {
            throw Diagnostic(SourceLocation(file: "generate"), "the number of enterprises must not be negative")
        }
        let context = GenerationContext(
            seed: options.seed, asOf: options.asOf, regions: try RegionModel(options.regions),
            industries: try IndustryModel(options.industries))
        let out = options.outputDirectory
        for directory in Set(OutputFile.allCases.map { FileSystem.directoryOf($0.path) }).sorted() {
            try FileSystem.createDirectory(FileSystem.join(out, directory))
        }

        let filings = FilingsWorker()
        let group = DispatchGroup()
        let count = options.enterprises
        let parts = max(1, options.filingsParts)
        // The first part is the main file a delivery must have (`tax/filings.csv.zst`); the others sit beside it.
        let filingsPaths = (1...parts).map { FileSystem.join(out, Self.filingsPart($0)) }
        DispatchQueue.global().async(group: group) {
            filings.run(enterprises: count, context: context, paths: filingsPaths)
        }

        var historyError: (any Error)?
        var historyRows: [GeneratedFile] = []
        var latentRows: GeneratedFile?
        do {
            var writer = try HistoryWriter(outputDirectory: out)
            var builder = HistoryBuilder(context: context)
            var latent = options.outcomes ? try LatentOutcomeFile(outputDirectory: out) : nil
            for index in 0..<count {
                if filings.failed { break }
                let profile = EnterpriseProfile(index: index, context: context)
                builder.build(profile)
                try writer.write(profile, builder.history, regions: context.regions, industries: context.industries)
                try latent?.write(profile, industryItems: builder.traits(profile).inspectionItems)
                if (index + 1) % progressStep == 0 { progress?(index + 1) }
            }
            try writer.close()
            try latent?.close()
            historyRows = OutputFile.allCases.filter { !$0.isFilings }.map {
                GeneratedFile(path: $0.path, rows: writer.rows($0))
            }
            if let latent { latentRows = GeneratedFile(path: LatentOutcomeFile.path, rows: latent.rows) }
        } catch {
            historyError = error
            filings.cancel()
        }
        group.wait()
        if let historyError { throw historyError }
        let filingsRows = try filings.result()
        if count % progressStep != 0 { progress?(count) }

        let inspectors = try InspectorDirectory.write(
            enterprises: count, context: context, path: FileSystem.join(out, InspectorFile.path))
        var files = historyRows
        files.insert(
            GeneratedFile(
                path: parts == 1 ? OutputFile.taxFilings.path : OutputFile.taxFilings.path + " + " + Self.filingsPart(2).replacingOccurrences(of: "-2.", with: "-2…\(parts)."),
                rows: filingsRows), at: OutputFile.taxFilings.rawValue)
        files.append(GeneratedFile(path: InspectorFile.path, rows: inspectors))
        if let latentRows { files.append(latentRows) }
        return files
    }
}

/// The tax-filings worker: runs on its own thread and hands back a row count or an error.
///
/// Shared between the two threads only through `state`, a `Mutex`, and `stop`, an `Atomic`, so the
/// class is `Sendable` without any unchecked promise.
final class FilingsWorker: Sendable {
    private let state = Mutex<(rows: Int, error: Diagnostic?)>((0, nil))
    private let stop = Atomic<Bool>(false)

    /// The other worker failed: stop early.
    func cancel() { stop.store(true, ordering: .relaxed) }

    var failed: Bool { state.withLock { $0.error != nil } }

    /// Writes enterprises in contiguous ranges, one range per path.
    func run(enterprises: Int, context: GenerationContext, paths: [String]) {
        var path = paths[0]
        do {
            var rows = 0
            for (p, partPath) in paths.enumerated() {
                path = partPath
                let csv = try CSVWriter(path: partPath, header: OutputFile.taxFilings.header)
                var writer = FilingsWriter(context: context, writer: csv)
                for index in (enterprises * p / paths.count)..<(enterprises * (p + 1) / paths.count) {
                    if index % 1024 == 0 && stop.load(ordering: .relaxed) { break }
                    try writer.write(EnterpriseProfile(index: index, context: context))
                }
                try csv.close()
                rows += writer.rows
            }
            let total = rows
            state.withLock { $0.rows = total }
        } catch {
            let problem = Diagnostic(SourceLocation(file: path), "cannot write the tax filings: \(error)")
            state.withLock { $0.error = problem }
        }
    }

    func result() throws -> Int {
        let (rows, error) = state.withLock { ($0.rows, $0.error) }
        if let error { throw error }
        return rows
    }
}

extension DataGenerator {
    /// Part `n` of the tax filings: 1 is the main file, 2… are `tax/filings-<n>.csv.zst` beside it.
    static func filingsPart(_ n: Int) -> String {
        n == 1 ? OutputFile.taxFilings.path : OutputFile.taxFilings.path.replacingOccurrences(of: ".csv.zst", with: "-\(n).csv.zst")
    }
}
