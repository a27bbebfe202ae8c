import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import RunModel

#if canImport(Glibc)
    import Glibc
#endif

/// Tag values computed elsewhere — by `spark/digitag_tags.py` on a Spark cluster — read back for
/// `digitag run --tags-from DIR` instead of being computed by the engine.
///
/// The directory holds `manifest.json` (the pipeline hash and as-of date the values were computed for, the
/// tag ids in catalog order, rows per source) and `tags/*.csv`: parts with the columns of tags.csv, each
/// sorted by USCC, the parts in USCC order by name. Numbers are written in full precision (a Double's round-
/// trip text), so scores and the store are made from the same values the engine would have computed.
///
/// Parts are read one after the other and handed out shard after shard, in USCC order, so memory holds one
/// part and one shard at a time, as the engine's own evaluation does.
final class ImportedTags {
    /// `manifest.json` of a tags directory; the Spark job writes it last.
    struct Manifest: Decodable {
        var format: String
        var pipelineHash: String
        var asOf: String
        var tags: [String]

        enum CodingKeys: String, CodingKey {
            case format
            case pipelineHash = "pipeline_hash"
            case asOf = "as_of"
            case tags
        }
    }

    static let format = "digitag-tags/1"

    let directory: String
    let parts: [String]
    private let catalog: TagCatalog
    /// How each tag's values are read, decided once, not per value.
    private enum Kind { case bool, number, date, category }
    private let kinds: [Kind]
    private let codes: ByteCodeTable
    private var nextPart = 0
    /// The rows of the part being read: keys and, per tag, values (numbers) or codes (categories).
    private var keys: [UInt128] = []
    private var numbers: [[Double]]
    private var categoryCodes: [[Int32]]
    private var position = 0
    private var lastKey: UInt128?
    private var scratch = [CChar](repeating: 0, count: 64)

    /// Opens `directory` and checks that it holds tags of this pipeline's catalog as of `asOf`.
    /// - Throws: `InputError` (exit 3) naming what differs: another catalog, another date, other columns.
    init(directory: String, definition: PipelineDefinition, asOf: Day) throws {
        self.directory = directory
        catalog = definition.catalog
        let manifestPath = FileSystem.join(directory, "manifest.json")
        guard FileSystem.exists(manifestPath) else {
            throw InputError(
                file: manifestPath, message: "no manifest.json: not a tags directory written by spark/digitag_tags.py (or the job did not finish)")
        }
        let manifest: Manifest
        do {
            manifest = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: URL(fileURLWithPath: manifestPath)))
        } catch {
            throw InputError(file: manifestPath, message: "not a readable tags manifest (\(error))")
        }
        guard manifest.format == Self.format else {
            throw InputError(file: manifestPath, message: "format '\(manifest.format)', expected '\(Self.format)'")
        }
        guard manifest.pipelineHash == definition.hash else {
            throw InputError(
                file: manifestPath,
                message: "tags computed by another pipeline (hash \(manifest.pipelineHash), this pipeline's is \(definition.hash)):"
                    + " run `digitag spark-job` and the Spark job again with this pipeline")
        }
        guard manifest.asOf == asOf.description else {
            throw InputError(file: manifestPath, message: "tags computed as of \(manifest.asOf), not \(asOf): run the Spark job as of \(asOf)")
        }
        let ids = definition.catalog.tags.map(\.id)
        guard manifest.tags == ids else {
            throw InputError(file: manifestPath, message: "its tag list differs from the catalog's (\(manifest.tags.count) tags, catalog \(ids.count))")
        }
        let tagsDirectory = FileSystem.join(directory, "tags")
        parts = FileSystem.list(tagsDirectory).filter { $0.hasSuffix(".csv") }.sorted().map { FileSystem.join(tagsDirectory, $0) }
        kinds = definition.catalog.tags.map { t in
            switch t.type {
            case .bool: return .bool
            case .number: return .number
            case .date: return .date
            case .category: return .category
            }
        }
        let vocabulary = definition.catalog.vocabulary
        codes = ByteCodeTable(vocabulary.strings.enumerated().map { ($1, Int32($0)) })
        numbers = Array(repeating: [], count: kinds.count)
        categoryCodes = Array(repeating: [], count: kinds.count)
    }

    /// The tag columns of `shard`: its enterprises' rows, which must come next in USCC order.
    /// - Throws: `InputError` when an enterprise is missing, extra, or a value cannot be read.
    func next(_ shard: ShardData) throws -> [Column] {
        var outNumbers = kinds.map { $0 == .category ? [Double]() : [Double](repeating: .nan, count: shard.count) }
        var outCodes = kinds.map { $0 == .category ? [Int32](repeating: -1, count: shard.count) : [Int32]() }
        for e in 0..<shard.count {
            while position >= keys.count {
                guard nextPart < parts.count else {
                    throw InputError(
                        file: FileSystem.join(directory, "tags"),
                        message: "no row for enterprise \(USCC.text(shard.keys[e])) (the tags end before the registration does)")
                }
                try load(parts[nextPart])
                nextPart += 1
            }
            guard keys[position] == shard.keys[e] else {
                let found = USCC.text(keys[position])
                let expected = USCC.text(shard.keys[e])
                throw InputError(
                    file: FileSystem.join(directory, "tags"),
                    message: found < expected
                        ? "enterprise \(found) is not in this run's registration (as of the run date)"
                        : "no row for enterprise \(expected) of the registration")
            }
            for t in 0..<kinds.count {
                if kinds[t] == .category { outCodes[t][e] = categoryCodes[t][position] } else { outNumbers[t][e] = numbers[t][position] }
            }
            position += 1
        }
        return (0..<kinds.count).map { kinds[$0] == .category ? .codes(outCodes[$0]) : .numbers(outNumbers[$0]) }
    }

    /// Checks that every row was taken: called after the last shard.
    func finish() throws {
        while position >= keys.count && nextPart < parts.count {
            try load(parts[nextPart])
            nextPart += 1
        }
        if position < keys.count {
            throw InputError(
                file: FileSystem.join(directory, "tags"),
                message: "enterprise \(USCC.text(keys[position])) is not in this run's registration (as of the run date)")
        }
    }

    /// Reads one part into the buffers, replacing the previous one.
    private func load(_ path: String) throws {
        keys.removeAll(keepingCapacity: true)
        for t in 0..<kinds.count {
            numbers[t].removeAll(keepingCapacity: true)
            categoryCodes[t].removeAll(keepingCapacity: true)
        }
        position = 0
        let expected = ["uscc"] + catalog.tags.map(\.id)
        var sawHeader = false
        var failure: InputError?
        try CSVReader(path: path).read(
            onRow: { row in
                guard failure == nil else { return }
                if !sawHeader {
                    sawHeader = true
                    if row.strings != expected {
                        failure = InputError(file: path, line: row.line, message: "header differs from tags.csv's columns (uscc, then every tag id)")
                    }
                    return
                }
                guard row.count == expected.count else {
                    failure = InputError(file: path, line: row.line, message: "\(row.count) fields, expected \(expected.count)")
                    return
                }
                guard case .success(let key) = USCC.parse(row.field(0)) else {
                    failure = InputError(file: path, line: row.line, message: "not a USCC: '\(row.string(0))'")
                    return
                }
                if let last = lastKey, key <= last {
                    failure = InputError(file: path, line: row.line, message: "enterprise \(row.string(0)) out of USCC order (or repeated)")
                    return
                }
                lastKey = key
                keys.append(key)
                for t in 0..<kinds.count {
                    let bytes = row.field(t + 1)
                    if let problem = store(bytes, tag: t) {
                        failure = InputError(file: path, line: row.line, message: "\(catalog.tags[t].id): \(problem) '\(row.string(t + 1))'")
                        return
                    }
                }
            },
            onSyntaxProblem: { p in
                if failure == nil { failure = InputError(file: path, line: p.line, message: p.message) }
            })
        if let failure { throw failure }
    }

    /// Appends one value to its tag's buffer; returns what is wrong with it, if anything.
    private func store(_ bytes: UnsafeRawBufferPointer, tag t: Int) -> String? {
        switch kinds[t] {
        case .category:
            if bytes.isEmpty {
                categoryCodes[t].append(-1)
            } else if let c = codes.code(bytes) {
                categoryCodes[t].append(c)
            } else {
                return "a category value the catalog does not know"
            }
        case .bool:
            guard bytes.count == 1, bytes[0] == 0x30 || bytes[0] == 0x31 else { return "expected 1 or 0, found" }
            numbers[t].append(bytes[0] == 0x31 ? 1 : 0)
        case .date:
            if bytes.isEmpty {
                numbers[t].append(.nan)
            } else if let day = Day(isoBytes: bytes) {
                numbers[t].append(Double(day.value))
            } else {
                return "expected a date YYYY-MM-DD, found"
            }
        case .number:
            if bytes.isEmpty {
                numbers[t].append(.nan)
            } else if let v = number(bytes) {
                numbers[t].append(v)
            } else {
                return "expected a number, found"
            }
        }
        return nil
    }

    /// A number's text (`12`, `0.1`, `1.0E-5`, `Infinity`) parsed with strtod, exactly and without allocating.
    private func number(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard bytes.count < scratch.count else { return nil }
        return scratch.withUnsafeMutableBufferPointer { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            for (i, b) in bytes.enumerated() { base[i] = CChar(bitPattern: b) }
            base[bytes.count] = 0
            var end: UnsafeMutablePointer<CChar>?
            let v = strtod(base, &end)
            guard let end, end - base == bytes.count else { return nil }
            return v
        }
    }
}
