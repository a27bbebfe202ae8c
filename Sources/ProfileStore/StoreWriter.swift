import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Dispatch
import Engine
import Foundation
import Risk
import RunModel

/// Writes a run's profile store (docs/STORE-FORMAT.md) shard after shard, in USCC order.
///
/// Rows are cut into row groups of a fixed size, whatever the shard sizes, so the file is the same bytes
/// for any thread or shard count. At most one row group is buffered; each group's columns are encoded and
/// compressed in parallel, then appended in column order.
package final class StoreWriter {
    enum Source {
        case uscc, name, entityNumber(Int), entityCode(Int), riskClass, score, reasons, reasonsZh
        case tagNumber(Int), tagCode(Int)
    }

    let definition: PipelineDefinition
    let path: String
    let file: OutputFile
    /// `store/rows.dts`: the same values in small blocks of whole rows, for one enterprise's profile.
    let rowFile: RowBlockWriter
    let groupSize: Int
    var columns: [StoreColumn] = []
    var sources: [Source] = []
    /// Per column: global code (vocabulary code, or class index) → dictionary index.
    var dictionaryIndex: [[Int32: UInt32]] = []
    var pendingNumbers: [[Double]] = []
    var pendingCodes: [[Int32]] = []
    var pendingTexts: [[String]] = []
    var pendingKeys: [UInt128] = []
    var pendingCount = 0
    var entries: [[BlockEntry]] = []
    var groupFirstKeys: [String] = []
    var offset: UInt64 = UInt64(StoreFormat.headerSize)
    var enterprises = 0
    /// Every name in ordinal order, for the name index written at `close()` (`NameIndex`).
    var allNames: [String] = []

    let asOf: String
    /// Threads that encode and compress a row group's columns.
    let threads: Int
    /// One zstd context per encoding thread, reused for every block (a context and its buffers per block
    /// cost ~250 k allocations per million enterprises).
    let codecs: WorkerCodecs

    package init(
        directory: String, definition: PipelineDefinition, asOf: String, threads: Int = 1, groupSize: Int = StoreFormat.defaultGroupSize
    ) throws {
        self.definition = definition
        self.asOf = asOf
        self.threads = max(1, threads)
        self.groupSize = groupSize
        codecs = try WorkerCodecs(count: self.threads)
        let dir = FileSystem.join(directory, StoreFormat.directoryName)
        try FileSystem.createDirectory(dir)
        path = FileSystem.join(dir, StoreFormat.fileName)
        file = try OutputFile(creating: path)
        rowFile = try RowBlockWriter(path: FileSystem.join(dir, RowBlockFormat.fileName))
        var header = StoreFormat.headerMagic
        header.appendLE(StoreFormat.version)
        header.appendLE(UInt32(0))
        try file.write(header)

        func add(_ name: String, _ kind: StoreColumnKind, _ source: Source) {
            columns.append(StoreColumn(name: name, kind: kind, dictionary: kind == .category ? [] : nil, filled: 0))
            sources.append(source)
        }
        add("uscc", .key, .uscc)
        add("name", .text, .name)
        for (i, f) in definition.sources.entitySource.fields.enumerated() {
            switch f.type.storage {
            case .number: add("reg." + f.name, f.isDate ? .date : (f.type == .flag ? .bool : .number), .entityNumber(i))
            case .code: add("reg." + f.name, .category, .entityCode(i))
            case .key, .text: break
            }
        }
        add("class", .category, .riskClass)
        add("score", .number, .score)
        add("reasons", .text, .reasons)
        add("reasons_zh", .text, .reasonsZh)
        for (t, tag) in definition.catalog.tags.enumerated() {
            switch tag.type {
            case .bool: add(tag.id, .bool, .tagNumber(t))
            case .number: add(tag.id, .number, .tagNumber(t))
            case .date: add(tag.id, .date, .tagNumber(t))
            case .category: add(tag.id, .category, .tagCode(t))
            }
        }
        try rowFile.begin(columns: columns.count)
        dictionaryIndex = Array(repeating: [:], count: columns.count)
        pendingNumbers = Array(repeating: [], count: columns.count)
        pendingCodes = Array(repeating: [], count: columns.count)
        pendingTexts = Array(repeating: [], count: columns.count)
        entries = Array(repeating: [], count: columns.count)
    }

    /// - Parameter reasons: each enterprise's `ReasonText`, built once for classes.csv and the store.
    package func write(shard: ShardData, tagValues: [Column], risk: [RiskResult], reasons: [ReasonText.Texts], names: [String]) throws {
        var start = 0
        while start < shard.count {
            let end = min(shard.count, start + groupSize - pendingCount)
            append(shard: shard, tagValues: tagValues, risk: risk, reasons: reasons, names: names, start..<end)
            start = end
            if pendingCount == groupSize { try flush() }
        }
    }

    private func append(
        shard: ShardData, tagValues: [Column], risk: [RiskResult], reasons: [ReasonText.Texts], names: [String], _ rows: Range<Int>
    ) {
        if pendingCount == 0 { groupFirstKeys.append(USCC.text(shard.keys[rows.lowerBound])) }
        pendingKeys += shard.keys[rows]
        for (c, source) in sources.enumerated() {
            switch source {
            case .uscc: break
            case .name:
                pendingTexts[c] += names[rows]
                allNames += names[rows]
            case .entityNumber(let i): pendingNumbers[c] += shard.entityNumbers[i][rows]
            case .entityCode(let i): pendingCodes[c] += shard.entityCodes[i][rows]
            case .riskClass: pendingCodes[c] += risk[rows].map { Int32($0.classIndex) }
            case .score: pendingNumbers[c] += risk[rows].map(\.score)
            case .reasons: pendingTexts[c] += reasons[rows].map(\.codes)
            case .reasonsZh: pendingTexts[c] += reasons[rows].map(\.zh)
            case .tagNumber(let t): pendingNumbers[c] += tagValues[t].numbers[rows]
            case .tagCode(let t): pendingCodes[c] += tagValues[t].codes[rows]
            }
        }
        pendingCount += rows.count
        enterprises += rows.count
    }

    /// Text of a code of column `c`, for its dictionary.
    private func codeText(_ c: Int, _ code: Int32) -> String {
        if case .riskClass = sources[c] { return definition.risk.classes[Int(code)].code }
        return definition.catalog.vocabulary.text(code) ?? ""
    }

    /// Encodes, compresses and appends the buffered row group.
    private func flush() throws {
        guard pendingCount > 0 else { return }
        // Dictionaries grow in order of first appearance: done serially, before the parallel encoding.
        var localCodes: [[Int32]] = Array(repeating: [], count: columns.count)
        for c in columns.indices where columns[c].kind == .category {
            var map = dictionaryIndex[c]
            var local = [Int32](repeating: -1, count: pendingCount)
            for (r, code) in pendingCodes[c].enumerated() where code >= 0 {
                if let l = map[code] {
                    local[r] = Int32(l)
                } else {
                    let l = UInt32(columns[c].dictionary!.count)
                    columns[c].dictionary!.append(codeText(c, code))
                    map[code] = l
                    local[r] = Int32(l)
                }
            }
            dictionaryIndex[c] = map
            localCodes[c] = local
        }
        let count = pendingCount
        let locals = localCodes
        let cols = columns
        let numbers = pendingNumbers
        let texts = pendingTexts
        let keys = pendingKeys
        let codecs = self.codecs
        let results = try Parallel.mapWithWorker(count: cols.count, threads: threads) { c, worker -> (BlockEntry, [UInt8], Int) in
            let (encoding, width, base, raw, filled): (BlockEncoding, UInt8, Int64, [UInt8], Int)
            switch cols[c].kind {
            case .key: (encoding, width, base, raw, filled) = (.keys, 16, 0, StoreEncoding.keys(keys), count)
            case .text:
                let e = StoreEncoding.text(texts[c])
                (encoding, width, base, raw, filled) = (.text, 0, 0, e, texts[c].reduce(0) { $0 + ($1.isEmpty ? 0 : 1) })
            case .bool:
                let v = numbers[c]
                (encoding, width, base, raw, filled) = (.bits, 1, 0, StoreEncoding.bits(v), v.reduce(0) { $0 + ($1 != 0 ? 1 : 0) })
            case .number, .date:
                let v = numbers[c]
                let filledCount = v.reduce(0) { $0 + ($1.isNaN ? 0 : 1) }
                if let e = StoreEncoding.integers(v) {
                    (encoding, width, base, raw, filled) = (.integers, e.width, e.base, e.bytes, filledCount)
                } else {
                    (encoding, width, base, raw, filled) = (.doubles, 8, 0, StoreEncoding.doubles(v), filledCount)
                }
            case .category:
                let v = locals[c]
                let e = StoreEncoding.integers(v.map { $0 < 0 ? Double.nan : Double($0) })!
                (encoding, width, base, raw, filled) = (.integers, e.width, e.base, e.bytes, v.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) })
            }
            let compressed = try raw.withUnsafeBytes { [UInt8](try codecs[worker].compress($0)) }
            let entry = BlockEntry(
                offset: 0, compressedLength: UInt32(compressed.count), rawLength: UInt32(raw.count), crc: CRC32.checksum(compressed),
                encoding: encoding, width: width, base: base)
            return (entry, compressed, filled)
        }
        var out: [UInt8] = []
        for (c, (entry, bytes, filled)) in results.enumerated() {
            var e = entry
            e.offset = offset + UInt64(out.count)
            entries[c].append(e)
            columns[c].filled += filled
            out += bytes
        }
        try file.write(out)
        offset += UInt64(out.count)
        // The same rows again, in row blocks of all columns (dictionary indices as in the column blocks).
        let kinds = cols.map(\.kind)
        let size = RowBlockFormat.blockSize
        let rowBlocks = try Parallel.mapWithWorker(count: (count + size - 1) / size, threads: threads) {
            k, worker -> (compressed: [UInt8], rawLength: Int, firstKey: UInt128, rows: Int) in
            let range = (k * size)..<min(count, (k + 1) * size)
            let raw = RowBlockWriter.encode(range, kinds: kinds, numbers: numbers, codes: locals, texts: texts, keys: keys)
            let compressed = try raw.withUnsafeBytes { [UInt8](try codecs[worker].compress($0)) }
            return (compressed, raw.count, keys[range.lowerBound], range.count)
        }
        try rowFile.append(rowBlocks)
        for c in columns.indices {
            pendingNumbers[c].removeAll(keepingCapacity: true)
            pendingCodes[c].removeAll(keepingCapacity: true)
            pendingTexts[c].removeAll(keepingCapacity: true)
        }
        pendingKeys.removeAll(keepingCapacity: true)
        pendingCount = 0
    }

    package func close() throws {
        try flush()
        let catalog = definition.catalog
        let tags = catalog.tags.map { t -> StoreTag in
            var name: String?
            var values: [String]?
            if case .category(let n, let v) = t.type { (name, values) = (n, v) }
            let d = t.definition
            return StoreTag(
                id: d.id, nameZh: d.nameZh, nameEn: d.nameEn, kind: d.kind.rawValue, unit: d.unit, family: d.family,
                dimension: d.dimension.rawValue, dimensionZh: d.dimension.chineseName, sensitivity: d.sensitivity.rawValue,
                categoryName: name, categoryValues: values)
        }
        let r = definition.sources.regions
        var regions: [StoreRegion] = []
        for (code, (name, (city, cityName))) in zip(r.column("code"), zip(r.column("name_zh"), zip(r.column("city_code"), r.column("city_name_zh")))) {
            regions.append(StoreRegion(code: code, name: name, cityCode: city, cityName: cityName))
        }
        let meta = StoreMeta(
            formatVersion: Int(StoreFormat.version), pipeline: definition.name, pipelineHash: definition.hash, asOf: asOf,
            enterprises: enterprises, groupSize: groupSize, groupCount: groupFirstKeys.count, groupFirstKeys: groupFirstKeys,
            classes: definition.risk.classes.map(\.code), classNamesZh: definition.risk.classes.map(\.nameZh), tags: tags,
            regions: regions, columns: columns)
        try finish(meta: meta)
        try rowFile.close()
        try NameIndex.write(names: allNames, to: FileSystem.join(FileSystem.directoryOf(path), NameIndex.fileName))
        allNames = []
    }

    private func finish(meta: StoreMeta) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = try ZstdCompressor.compress(Array(try encoder.encode(meta)), level: 3)
        var directory: [UInt8] = []
        directory.reserveCapacity(columns.count * groupFirstKeys.count * StoreFormat.entrySize)
        for column in entries {
            for e in column { e.append(to: &directory) }
        }
        let metaOffset = offset
        let dirOffset = offset + UInt64(json.count)
        var trailer: [UInt8] = []
        trailer.appendLE(metaOffset)
        trailer.appendLE(UInt64(json.count))
        trailer.appendLE(dirOffset)
        trailer.appendLE(UInt64(directory.count))
        trailer.appendLE(CRC32.checksum(json))
        trailer.appendLE(CRC32.checksum(directory))
        trailer += StoreFormat.trailerMagic
        try file.write(json + directory + trailer)
        try file.sync()
        try file.close()
    }
}

/// The store writer's zstd contexts, one per encoding worker (`Parallel.mapWithWorker`).
///
/// `@unchecked Sendable` is safe: worker `w` uses only `codecs[w]`, and no two jobs of one worker run at once.
final class WorkerCodecs: @unchecked Sendable {
    private let codecs: [ZstdBlockCodec]
    /// Level 3, as the store has always been compressed.
    init(count: Int) throws { codecs = try (0..<count).map { _ in try ZstdBlockCodec(level: 3) } }
    subscript(worker: Int) -> ZstdBlockCodec { codecs[worker] }
}
