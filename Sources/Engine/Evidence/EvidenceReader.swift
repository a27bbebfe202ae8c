import DataContract
import DigiTagBase
import DigiTagIO
import Foundation

/// One accepted record of the evidence archive, its fields by schema field index.
public struct EvidenceRecord: Sendable, Equatable {
    /// Index of its delivery file among the source's files (`EvidenceReader.file(source:index:)`).
    public var file: Int
    public var line: Int
    /// By schema field: numbers (NaN when empty or not a number field), codes (-1 likewise), texts (nil likewise).
    public var numbers: [Double]
    public var codes: [Int32]
    public var texts: [String?]

    public static func == (a: EvidenceRecord, b: EvidenceRecord) -> Bool {
        a.file == b.file && a.line == b.line && a.codes == b.codes && a.texts == b.texts
            && zip(a.numbers, b.numbers).allSatisfy { $0.bitPattern == $1.bitPattern }
    }
}

/// Reads a published run's evidence archive (`EvidenceFormat`): one enterprise's records of one source
/// decompress one frame of at most `groupSize` enterprises.
public final class EvidenceReader {
    public let format: EvidenceFormat
    private let sources: SourceCatalog
    /// By source: schema field indices of the stored numbers, codes and texts (nil: the registration source).
    private let fields: [(numbers: [Int], codes: [Int], texts: [Int])?]
    private let index: [UInt8]
    private let recordsPath: String
    private let codec: ZstdDecompressor
    /// By source: the last frame decompressed (its group and bytes), so enterprises read in order cost one
    /// decompression per group.
    private var lastFrame: [Int: (group: Int, bytes: [UInt8])] = [:]

    public init(run: String, sources: SourceCatalog) throws {
        let directory = EvidenceFormat.directory(run: run)
        let layoutPath = FileSystem.join(directory, EvidenceFormat.layoutFile)
        guard FileSystem.exists(layoutPath) else {
            throw FileReadError(
                file: directory, message: "the run has no evidence archive (made before runs kept their records): run it again",
                exitStatus: .badInput)
        }
        format = try JSONDecoder().decode(EvidenceFormat.self, from: Data(contentsOf: URL(fileURLWithPath: layoutPath)))
        self.sources = sources
        guard format.sources.map(\.name) == sources.sources.map(\.name) else {
            throw FileReadError(file: layoutPath, message: "the archive's sources differ from the pipeline's", exitStatus: .badInput)
        }
        fields = try zip(format.sources, sources.sources).map { stored, schema in
            guard !schema.isEntity else { return nil }
            func indices(_ names: [String]) throws -> [Int] {
                try names.map { n in
                    guard let i = schema.fieldIndex(n) else {
                        throw FileReadError(file: layoutPath, message: "field \(schema.name).\(n) is not in the pipeline", exitStatus: .badInput)
                    }
                    return i
                }
            }
            return (try indices(stored.numberFields), try indices(stored.codeFields), try indices(stored.textFields))
        }
        let indexPath = FileSystem.join(directory, EvidenceFormat.indexFile)
        index = Array(try Data(contentsOf: URL(fileURLWithPath: indexPath)))
        let expected = EvidenceFormat.headerBytes + format.groups * sources.sources.count * EvidenceFormat.entryBytes
        guard index.count == expected, Array(index.prefix(8)) == EvidenceFormat.magic else {
            throw FileReadError(file: indexPath, message: "not an evidence index of \(format.groups) groups (\(index.count) bytes)", exitStatus: .badInput)
        }
        recordsPath = FileSystem.join(directory, EvidenceFormat.recordsFile)
        codec = try ZstdDecompressor(file: recordsPath)
    }

    /// The delivery file `index` of `source`, as manifest.json names it.
    public func file(source: Int, index: Int) -> String {
        let files = format.sources[source].files
        return index < files.count ? files[index] : "?"
    }

    /// Records of enterprise `ordinal` (USCC order, as in the store) in `source`, in input order, duplicates left out.
    public func records(ordinal: Int, source: Int) throws -> [EvidenceRecord] {
        guard let f = fields[source], ordinal >= 0, ordinal < format.enterprises else { return [] }
        let group = ordinal / format.groupSize
        let entry = EvidenceFormat.headerBytes + (group * sources.sources.count + source) * EvidenceFormat.entryBytes
        let offset = Int(load(UInt64.self, entry))
        let compressed = Int(load(UInt32.self, entry + 8))
        let length = Int(load(UInt32.self, entry + 12))
        guard compressed > 0 else { return [] }
        var bytes = [UInt8]()
        if let last = lastFrame[source], last.group == group {
            bytes = last.bytes
        } else {
            let frame = try readBytes(at: offset, count: compressed)
            bytes.reserveCapacity(length)
            var scratch = [UInt8](repeating: 0, count: 1 << 16)
            try frame.withUnsafeBytes { input in
                try scratch.withUnsafeMutableBytes { s in try codec.decompress(input, into: s) { bytes.append(contentsOf: $0) } }
            }
            try codec.finish()
            guard bytes.count == length else { throw corrupt("frame of group \(group) has \(bytes.count) bytes, not \(length)") }
            lastFrame[source] = (group, bytes)
        }
        let fieldCount = sources.sources[source].fields.count
        return try bytes.withUnsafeBytes { b -> [EvidenceRecord] in
            var p = 0
            let members = min(format.groupSize, format.enterprises - group * format.groupSize)
            var counts = [Int](repeating: 0, count: members)
            for e in 0..<members {
                guard let n = Varint.read(b, &p) else { throw corrupt("counts of group \(group)") }
                counts[e] = Int(n)
            }
            let wanted = ordinal - group * format.groupSize
            var out: [EvidenceRecord] = []
            // Records of the enterprises before: skipped, not decoded.
            let fixed = f.numbers.count * 8 + f.codes.count * 4
            for e in 0..<wanted {
                for _ in 0..<counts[e] {
                    guard Varint.read(b, &p) != nil, Varint.read(b, &p) != nil, p + fixed <= b.count else { throw corrupt("record of group \(group)") }
                    p += fixed
                    for _ in f.texts {
                        guard let n = Varint.read(b, &p), p + Int(n) <= b.count else { throw corrupt("text of group \(group)") }
                        p += Int(n)
                    }
                }
            }
            for e in wanted...wanted {
                for _ in 0..<counts[e] {
                    guard let file = Varint.read(b, &p), let line = Varint.read(b, &p) else { throw corrupt("record of group \(group)") }
                    var r = EvidenceRecord(
                        file: Int(file), line: Int(line), numbers: [Double](repeating: .nan, count: fieldCount),
                        codes: [Int32](repeating: -1, count: fieldCount), texts: [String?](repeating: nil, count: fieldCount))
                    guard p + f.numbers.count * 8 + f.codes.count * 4 <= b.count else { throw corrupt("record of group \(group)") }
                    for i in f.numbers {
                        r.numbers[i] = Double(bitPattern: UInt64(littleEndian: b.loadUnaligned(fromByteOffset: p, as: UInt64.self)))
                        p += 8
                    }
                    for i in f.codes {
                        r.codes[i] = Int32(bitPattern: UInt32(littleEndian: b.loadUnaligned(fromByteOffset: p, as: UInt32.self)))
                        p += 4
                    }
                    for i in f.texts {
                        guard let n = Varint.read(b, &p), p + Int(n) <= b.count else { throw corrupt("text of group \(group)") }
                        r.texts[i] = String(decoding: UnsafeRawBufferPointer(rebasing: b[p..<(p + Int(n))]), as: UTF8.self)
                        p += Int(n)
                    }
                    out.append(r)
                }
            }
            return out
        }
    }

    private func load<T: FixedWidthInteger>(_: T.Type, _ at: Int) -> T {
        index.withUnsafeBytes { T(littleEndian: $0.loadUnaligned(fromByteOffset: at, as: T.self)) }
    }

    private func readBytes(at offset: Int, count: Int) throws -> [UInt8] {
        guard let h = FileHandle(forReadingAtPath: recordsPath) else {
            throw FileReadError(file: recordsPath, message: "cannot read the evidence records", exitStatus: .environment)
        }
        defer { try? h.close() }
        try h.seek(toOffset: UInt64(offset))
        let data = try h.read(upToCount: count) ?? Data()
        guard data.count == count else { throw corrupt("shorter than its index") }
        return Array(data)
    }

    private func corrupt(_ what: String) -> FileReadError {
        FileReadError(file: recordsPath, message: "corrupt evidence archive: \(what)", exitStatus: .badInput)
    }
}

extension EvidenceReader {
    /// A one-enterprise shard of `ordinal`'s records (every record source), for the evaluator to say which
    /// of them enter an aggregate. Registration columns are empty values: tags read those from the store.
    public func shard(ordinal: Int) throws -> (shard: ShardData, records: [[EvidenceRecord]]) {
        var blocks: [RecordBlock] = []
        var all: [[EvidenceRecord]] = []
        for (s, schema) in sources.sources.enumerated() {
            let records = try records(ordinal: ordinal, source: s)
            all.append(records)
            var numbers = [[Double]](repeating: [], count: schema.fields.count)
            var codes = [[Int32]](repeating: [], count: schema.fields.count)
            if let f = fields[s] {
                for i in f.numbers { numbers[i] = records.map { $0.numbers[i] } }
                for i in f.codes { codes[i] = records.map { $0.codes[i] } }
            }
            blocks.append(RecordBlock(offsets: [0, Int32(records.count)], numbers: numbers, codes: codes))
        }
        let entity = sources.entitySource
        let shard = ShardData(
            ordinals: ordinal..<(ordinal + 1), keys: [0], entityNumbers: entity.fields.map { _ in [.nan] },
            entityCodes: entity.fields.map { _ in [-1] }, records: blocks)
        return (shard, all)
    }
}
