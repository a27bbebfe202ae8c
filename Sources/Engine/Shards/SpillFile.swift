import DigiTagBase
import DigiTagIO
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One compressed block of a spill file: rows of a single shard, in input order.
///
/// The rows' frame is followed by a side frame (`sideBytes` compressed, `sideLength` uncompressed) holding,
/// per row in the same order, its line and its text fields (`SpillSide`): the run's evidence, which the
/// evaluator never reads.
public struct SpillBlock: Sendable, Codable, Equatable {
    public var offset: Int64
    public var compressedBytes: Int32
    public var rows: Int32
    public var sideBytes: Int32 = 0
    public var sideLength: Int32 = 0
}

/// One ingest unit's accepted records (one input file of one source), partitioned by shard.
///
/// The file is a sequence of zstd frames; this index, kept in memory (and in the ingest checkpoint),
/// says which frames belong to which shard. Reading a shard reads only its frames.
public struct SpillFile: Sendable, Codable, Equatable {
    /// File name inside the spill directory.
    public var name: String
    public var source: Int
    /// By shard: its blocks, in write (= input) order.
    public var blocks: [[SpillBlock]]

    public func rows(shard: Int) -> Int { blocks[shard].reduce(0) { $0 + Int($1.rows) } }
    public var rows: Int { blocks.indices.reduce(0) { $0 + rows(shard: $1) } }
}

/// Every spill file of an ingest, by source, and how to read them back.
public struct SpillSet: Sendable, Codable, Equatable {
    public var directory: String
    /// By source; nil for the registration source (kept in memory).
    public var layouts: [RecordLayout?]
    /// By source, in input file order.
    public var files: [[SpillFile]]

    public var bytesOnDisk: Int64 {
        files.joined().reduce(0) { total, f in total + f.blocks.joined().reduce(0) { $0 + Int64($1.compressedBytes) } }
    }

    /// Reads the raw fixed-width rows of `shard` for `source` (every file, in order) into one buffer.
    /// The caller deallocates the result.
    func readRows(source: Int, shard: Int, codec: ZstdBlockCodec) throws -> (rows: Int, bytes: UnsafeMutableRawBufferPointer) {
        let layout = layouts[source]!
        let total = files[source].reduce(0) { $0 + $1.rows(shard: shard) }
        let out = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, total * layout.rowBytes), alignment: 16)
        var position = 0
        var compressed = [UInt8]()
        do {
            for file in files[source] where !file.blocks[shard].isEmpty {
                let path = FileSystem.join(directory, file.name)
                let fd = open(path, O_RDONLY)
                guard fd >= 0 else { throw FileReadError(file: path, message: "cannot open spill file: \(String(cString: strerror(errno)))", exitStatus: .environment) }
                defer { close(fd) }
                for block in file.blocks[shard] {
                    let size = Int(block.compressedBytes)
                    if compressed.count < size { compressed = [UInt8](repeating: 0, count: size) }
                    try compressed.withUnsafeMutableBytes { buffer in
                        let done: Int
                        do {
                            done = try FileSystem.readFully(fd, into: buffer.baseAddress!, count: size, at: Int(block.offset))
                        } catch {
                            throw FileReadError(file: path, message: "cannot read spill file: \(error)", exitStatus: .environment)
                        }
                        if done < size { throw FileReadError(file: path, message: "spill file is shorter than its index", exitStatus: .environment) }
                        let length = Int(block.rows) * layout.rowBytes
                        try codec.decompress(
                            UnsafeRawBufferPointer(start: buffer.baseAddress, count: size),
                            into: UnsafeMutableRawBufferPointer(start: out.baseAddress! + position, count: length), file: path)
                        position += length
                    }
                }
            }
        } catch {
            out.deallocate()
            throw error
        }
        return (total, out)
    }
}

extension SpillSet {
    /// Each kept row's origin and texts for `source` in `shard`, from the side frames, in the grouped order
    /// `destination` gives (raw row → grouped position, -1 for a duplicate left out).
    func readOrigins(source: Int, shard: Int, destination: [Int], kept: Int, codec: ZstdBlockCodec) throws -> RecordOrigins {
        let layout = layouts[source]!
        let total = files[source].reduce(0) { $0 + $1.blocks[shard].reduce(0) { $0 + Int($1.sideLength) } }
        var origins = RecordOrigins()
        origins.file = [Int32](repeating: 0, count: kept)
        origins.line = [Int32](repeating: 0, count: kept)
        origins.textStart = [Int32](repeating: 0, count: kept)
        origins.textEnd = [Int32](repeating: 0, count: kept)
        guard total > 0 else { return origins }
        precondition(total < Int(Int32.max), "a shard's evidence texts exceed 2 GiB: use more shards")
        var sides = [UInt8](repeating: 0, count: total)
        var compressed = [UInt8]()
        var position = 0
        var raw = 0
        for (fileIndex, file) in files[source].enumerated() where !file.blocks[shard].isEmpty {
            let path = FileSystem.join(directory, file.name)
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else { throw FileReadError(file: path, message: "cannot open spill file: \(String(cString: strerror(errno)))", exitStatus: .environment) }
            defer { close(fd) }
            for block in file.blocks[shard] {
                let size = Int(block.sideBytes)
                let length = Int(block.sideLength)
                if compressed.count < size { compressed = [UInt8](repeating: 0, count: size) }
                try compressed.withUnsafeMutableBytes { buffer in
                    let done = try FileSystem.readFully(fd, into: buffer.baseAddress!, count: size, at: Int(block.offset) + Int(block.compressedBytes))
                    if done < size { throw FileReadError(file: path, message: "spill file is shorter than its index", exitStatus: .environment) }
                    try sides.withUnsafeMutableBytes { out in
                        try codec.decompress(
                            UnsafeRawBufferPointer(start: buffer.baseAddress, count: size),
                            into: UnsafeMutableRawBufferPointer(start: out.baseAddress! + position, count: length), file: path)
                    }
                }
                // Walk the block's rows: line, then the texts.
                try sides.withUnsafeBytes { all in
                    let bytes = UnsafeRawBufferPointer(rebasing: all[0..<(position + length)])
                    var p = position
                    for _ in 0..<Int(block.rows) {
                        guard let line = Varint.read(bytes, &p) else { throw corrupt(path) }
                        let start = p
                        for _ in layout.textFields {
                            guard let n = Varint.read(bytes, &p), p + Int(n) <= bytes.count else { throw corrupt(path) }
                            p += Int(n)
                        }
                        let d = destination[raw]
                        raw += 1
                        guard d >= 0 else { continue }
                        origins.file[d] = Int32(fileIndex)
                        origins.line[d] = Int32(truncatingIfNeeded: line)
                        origins.textStart[d] = Int32(start)
                        origins.textEnd[d] = Int32(p)
                    }
                    if p != position + length { throw corrupt(path) }
                }
                position += length
            }
        }
        origins.sides = sides
        return origins
    }

    private func corrupt(_ path: String) -> FileReadError {
        FileReadError(file: path, message: "spill file's side frame does not match its rows", exitStatus: .environment)
    }
}
