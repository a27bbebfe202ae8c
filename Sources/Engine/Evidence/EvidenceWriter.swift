import DataContract
import DigiTagBase
import DigiTagIO
import Foundation

/// Writes the run's evidence archive (`EvidenceFormat`) from the shards derive already loads, in shard
/// order: no pass over the input, no second read of the spill but its side frames.
///
/// Frames cover fixed groups of `groupSize` enterprises in USCC order, not shards, so the archive is the same
/// bytes whatever the shard or thread count. Memory: one group's records of every source.
public final class EvidenceWriter {
    private let directory: String
    private let layouts: [RecordLayout?]
    private let format: EvidenceFormat
    private let records: OutputFile
    private let codec: ZstdBlockCodec
    /// By source: the current group's per-enterprise record counts (varints) and records.
    private var counts: [[UInt8]]
    private var bodies: [[UInt8]]
    private var recordCounts: [Int]
    private var joined: [UInt8] = []
    private var index: [UInt8] = []
    private var offset: UInt64 = 0
    /// The next enterprise ordinal expected.
    private var next = 0

    /// - Parameter files: by source, its delivery files in input order (empty for the registration source).
    public init(directory run: String, sources: SourceCatalog, layouts: [RecordLayout?], files: [[String]], enterprises: Int,
                groupSize: Int = EvidenceFormat.defaultGroupSize) throws {
        directory = EvidenceFormat.directory(run: run)
        try FileSystem.createDirectory(directory)
        self.layouts = layouts
        format = EvidenceFormat(
            groupSize: groupSize, enterprises: enterprises,
            sources: sources.sources.enumerated().map { s, schema in
                let l = layouts[s]
                let names = { (fields: [Int]) in fields.map { schema.fields[$0].name } }
                return EvidenceFormat.Source(
                    name: schema.name, files: l == nil ? [] : files[s], numberFields: names(l?.numberFields ?? []),
                    codeFields: names(l?.codeFields ?? []), textFields: names(l?.textFields ?? []))
            })
        records = try OutputFile(creating: FileSystem.join(directory, EvidenceFormat.recordsFile))
        codec = try ZstdBlockCodec(level: 3)
        counts = Array(repeating: [], count: layouts.count)
        bodies = Array(repeating: [], count: layouts.count)
        recordCounts = Array(repeating: 0, count: layouts.count)
        index = EvidenceFormat.magic
        for v in [groupSize, enterprises, layouts.count, format.groups] { appendLE(UInt32(v), to: &index) }
    }

    /// Appends a shard loaded with `evidence: true`; shards must come in order.
    public func write(_ shard: ShardData) throws {
        precondition(shard.ordinals.lowerBound == next, "evidence: shards out of order")
        for e in 0..<shard.count {
            let ordinal = shard.ordinals.lowerBound + e
            if ordinal > 0 && ordinal % format.groupSize == 0 { try flush() }
            for (s, layout) in layouts.enumerated() {
                guard let layout else { continue }
                let block = shard.records[s]
                let lo = Int(block.offsets[e])
                let hi = Int(block.offsets[e + 1])
                Varint.append(UInt64(hi - lo), to: &counts[s])
                guard hi > lo else { continue }
                let origins = shard.origins[s]
                recordCounts[s] += hi - lo
                for r in lo..<hi {
                    Varint.append(UInt64(origins.file[r]), to: &bodies[s])
                    Varint.append(UInt64(origins.line[r]), to: &bodies[s])
                    for f in layout.numberFields { appendLE(block.numbers[f][r].bitPattern, to: &bodies[s]) }
                    for f in layout.codeFields { appendLE(UInt32(bitPattern: block.codes[f][r]), to: &bodies[s]) }
                    let start = Int(origins.textStart[r])
                    let end = Int(origins.textEnd[r])
                    if end > start { bodies[s].append(contentsOf: origins.sides[start..<end]) }
                }
            }
        }
        next = shard.ordinals.upperBound
    }

    /// Writes the last group, the index and the layout.
    public func close() throws {
        precondition(next == format.enterprises, "evidence: \(next) of \(format.enterprises) enterprises written")
        if format.enterprises > 0 { try flush() }
        try records.sync()
        try records.close()
        try FileSystem.writeAtomically(Data(index), to: FileSystem.join(directory, EvidenceFormat.indexFile))
        try FileSystem.writeAtomically(try format.encoded(), to: FileSystem.join(directory, EvidenceFormat.layoutFile))
    }

    private func flush() throws {
        for s in layouts.indices {
            guard layouts[s] != nil else {
                appendLE(UInt64(0), to: &index)
                for _ in 0..<3 { appendLE(UInt32(0), to: &index) }
                continue
            }
            joined.removeAll(keepingCapacity: true)
            joined.append(contentsOf: counts[s])
            joined.append(contentsOf: bodies[s])
            let frame = try joined.withUnsafeBytes { try codec.compress($0) }
            try records.write(frame)
            appendLE(offset, to: &index)
            appendLE(UInt32(frame.count), to: &index)
            appendLE(UInt32(joined.count), to: &index)
            appendLE(UInt32(recordCounts[s]), to: &index)
            offset += UInt64(frame.count)
            counts[s].removeAll(keepingCapacity: true)
            bodies[s].removeAll(keepingCapacity: true)
            recordCounts[s] = 0
        }
    }
}

@inline(__always)
func appendLE<T: FixedWidthInteger>(_ v: T, to bytes: inout [UInt8]) {
    withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) }
}
