import DigiTagBase
import DigiTagIO
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes one ingest unit's accepted records to a spill file, partitioned by shard.
///
/// Each shard has a fixed-size row buffer; a full buffer is compressed (zstd level 1) as one frame and
/// appended to the file. Memory is `shards × block size` whatever the input size, and rows of a shard stay
/// in input order, so a shard read back is the same whatever the number of threads that wrote.
final class SpillWriter {
    let layout: RecordLayout
    let plan: ShardPlan
    let path: String
    private let name: String
    private let source: Int
    private let file: OutputFile
    private let codec: ZstdBlockCodec
    private let rowsPerBlock: Int
    private let blockBytes: Int
    private var buffers: [UnsafeMutableRawPointer?]
    private var fill: [Int]
    private var blocks: [[SpillBlock]]
    private var offset: Int64 = 0
    /// By shard: the side bytes of the rows in its buffer (`SpillSide`), capacity kept from block to block (at
    /// most about `blockBytes`: a block is written when its rows and side bytes together reach it).
    private var sides: [[UInt8]]

    /// - Parameter blockBytes: uncompressed size of a shard's buffer before it is written.
    init(directory: String, name: String, source: Int, layout: RecordLayout, plan: ShardPlan, blockBytes: Int) throws {
        self.layout = layout
        self.plan = plan
        self.name = name
        self.source = source
        path = FileSystem.join(directory, name)
        file = try OutputFile(creating: path)
        codec = try ZstdBlockCodec(level: 1)
        rowsPerBlock = max(16, blockBytes / layout.rowBytes)
        self.blockBytes = blockBytes
        buffers = Array(repeating: nil, count: plan.count)
        fill = Array(repeating: 0, count: plan.count)
        blocks = Array(repeating: [], count: plan.count)
        sides = Array(repeating: [], count: plan.count)
    }

    deinit {
        for b in buffers { b?.deallocate() }
    }

    /// Appends one record; `values`, `codes` and `hashes` are indexed by schema field; `row` (its schema field
    /// `i` in column `columnOfField[i]`) gives the line and the text fields kept as evidence.
    @inline(__always)
    func append(
        ordinal: Int, values: UnsafeBufferPointer<Double>, codes: UnsafeBufferPointer<Int32>, hashes: UnsafeBufferPointer<UInt64>,
        row csvRow: CSVRow, columnOfField: [Int]
    ) throws {
        let line = csvRow.line
        let shard = plan.shard(of: ordinal)
        let buffer: UnsafeMutableRawPointer
        if let b = buffers[shard] {
            buffer = b
        } else {
            buffer = UnsafeMutableRawPointer.allocate(byteCount: rowsPerBlock * layout.rowBytes, alignment: 16)
            buffers[shard] = buffer
        }
        let row = buffer + fill[shard] * layout.rowBytes
        row.storeBytes(of: Int32(ordinal), as: Int32.self)
        for (k, f) in layout.numberFields.enumerated() { (row + layout.numberOffset(k)).storeBytes(of: values[f], as: Double.self) }
        for (k, f) in layout.codeFields.enumerated() { (row + layout.codeOffset(k)).storeBytes(of: codes[f], as: Int32.self) }
        for (k, f) in layout.hashFields.enumerated() { (row + layout.hashOffset(k)).storeBytes(of: hashes[f], as: UInt64.self) }
        SpillSide.append(line: line, texts: layout.textFields, row: csvRow, columnOfField: columnOfField, to: &sides[shard])
        fill[shard] += 1
        // The rows' side bytes (line, texts) count against the same block budget as their numbers: with
        // texts longer than a row, side buffers of a block's worth of rows per shard per source outgrew the
        // ingest's memory bound, which is meant to follow the shard count's budget, not the input's texts.
        if fill[shard] == rowsPerBlock || fill[shard] * layout.rowBytes + sides[shard].count >= blockBytes { try flush(shard) }
    }

    private func flush(_ shard: Int) throws {
        guard fill[shard] > 0, let buffer = buffers[shard] else { return }
        let frame: UnsafeRawBufferPointer
        do {
            frame = try codec.compress(UnsafeRawBufferPointer(start: buffer, count: fill[shard] * layout.rowBytes))
        } catch var e as ZstdError {
            e.file = path
            throw e
        }
        try file.write(frame)
        var block = SpillBlock(offset: offset, compressedBytes: Int32(frame.count), rows: Int32(fill[shard]))
        offset += Int64(frame.count)
        let side: UnsafeRawBufferPointer
        do {
            side = try sides[shard].withUnsafeBytes { try codec.compress($0) }
        } catch var e as ZstdError {
            e.file = path
            throw e
        }
        try file.write(side)
        block.sideBytes = Int32(side.count)
        block.sideLength = Int32(sides[shard].count)
        offset += Int64(side.count)
        blocks[shard].append(block)
        sides[shard].removeAll(keepingCapacity: true)
        fill[shard] = 0
    }

    /// Writes what the buffers still hold, releases them and returns the file's index.
    func finish() throws -> SpillFile {
        for s in 0..<plan.count { try flush(s) }
        for (s, b) in buffers.enumerated() {
            b?.deallocate()
            buffers[s] = nil
            sides[s] = []
        }
        try file.sync()
        return SpillFile(name: name, source: source, blocks: blocks)
    }
}
