import DataContract
import Engine
import DigiTagBase
import DigiTagIO
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads `store/rows.dts` (`RowBlockFormat`): finds the block of an enterprise by its USCC or ordinal and
/// decodes it, checked against its checksum, its length and its column layout. Problems are `InputError`s
/// naming the file (exit code 3).
///
/// Immutable after init, and the file is read with pread(2) only: threads share one reader, each with its
/// own `StoreCursor`.
final class RowBlockReader: @unchecked Sendable {
    let path: String
    let fd: Int32
    let columns: Int
    let offsets: [UInt64]
    let compressedLengths: [UInt32]
    let rawLengths: [UInt32]
    let crcs: [UInt32]
    /// The ordinal of each block's first enterprise, and one past the last enterprise at the end.
    let firstOrdinals: [Int]
    let firstKeys: [UInt128]

    /// Opens the file and checks it against the store it belongs to (`columns` and `enterprises`).
    init(path: String, columns: Int, enterprises: Int) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw InputError(file: path, message: "cannot open the row blocks of the profile store") }
        self.fd = fd
        do {
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw InputError(file: path, message: "cannot read the row blocks of the profile store") }
            let size = Int(st.st_size)
            let fixed = RowBlockFormat.headerSize + RowBlockFormat.trailerSize
            guard size >= fixed else { throw InputError(file: path, message: "truncated row blocks: \(size) bytes") }
            let header = try Self.read(fd, path, offset: 0, count: RowBlockFormat.headerSize)
            guard Array(header[0..<8]) == RowBlockFormat.magic else {
                throw InputError(file: path, message: "not a digitag row block file (its first bytes are not 'DGTSROWS')")
            }
            let (version, fileColumns) = header.withUnsafeBytes { ($0.loadLE(UInt32.self, at: 8), Int($0.loadLE(UInt32.self, at: 16))) }
            guard version == RowBlockFormat.version else {
                throw InputError(file: path, message: "row blocks version \(version) is not supported: this digitag reads version \(RowBlockFormat.version)")
            }
            let trailer = try Self.read(fd, path, offset: size - RowBlockFormat.trailerSize, count: RowBlockFormat.trailerSize)
            guard Array(trailer[16..<24]) == RowBlockFormat.endMark else {
                throw InputError(file: path, message: "truncated or unfinished row blocks: the end mark 'DGTREND1' is missing")
            }
            let (dirOffset, dirCRC, count) = trailer.withUnsafeBytes {
                (Int($0.loadLE(UInt64.self, at: 0)), $0.loadLE(UInt32.self, at: 8), Int($0.loadLE(UInt32.self, at: 12)))
            }
            guard dirOffset >= RowBlockFormat.headerSize, dirOffset + count * RowBlockFormat.entrySize + RowBlockFormat.trailerSize == size else {
                throw InputError(file: path, message: "corrupt row blocks: the directory does not fit the file")
            }
            let dir = try Self.read(fd, path, offset: dirOffset, count: count * RowBlockFormat.entrySize)
            guard CRC32.checksum(dir) == dirCRC else { throw InputError(file: path, message: "corrupt row blocks: checksum mismatch in the directory") }
            var offsets: [UInt64] = []
            var compressed: [UInt32] = []
            var raw: [UInt32] = []
            var crcs: [UInt32] = []
            var firsts = [0]
            var keys: [UInt128] = []
            for k in 0..<count {
                dir.withUnsafeBytes { b in
                    let p = k * RowBlockFormat.entrySize
                    offsets.append(b.loadLE(UInt64.self, at: p))
                    compressed.append(b.loadLE(UInt32.self, at: p + 8))
                    raw.append(b.loadLE(UInt32.self, at: p + 12))
                    crcs.append(b.loadLE(UInt32.self, at: p + 16))
                    firsts.append(firsts.last! + Int(b.loadLE(UInt32.self, at: p + 20)))
                    keys.append(b.loadLE(UInt128.self, at: p + 24))
                }
                guard Int(offsets[k]) + Int(compressed[k]) <= dirOffset, firsts[k + 1] > firsts[k], k == 0 || keys[k] > keys[k - 1] else {
                    throw InputError(file: path, message: "corrupt row blocks: entry \(k + 1) of the directory is out of place")
                }
            }
            guard fileColumns == columns, firsts.last! == enterprises else {
                throw InputError(
                    file: path,
                    message: "row blocks do not match profile.dts: \(fileColumns) columns and \(firsts.last!) enterprises, the store has \(columns) and \(enterprises)")
            }
            self.columns = columns
            self.offsets = offsets
            compressedLengths = compressed
            rawLengths = raw
            self.crcs = crcs
            firstOrdinals = firsts
            firstKeys = keys
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    private static func read(_ fd: Int32, _ path: String, offset: Int, count: Int) throws -> [UInt8] {
        try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let done = try FileSystem.readFully(fd, into: buffer.baseAddress!, count: count, at: offset)
            guard done == count else { throw InputError(file: path, message: "truncated row blocks: the file ends at byte \(offset + done)") }
            initialized = count
        }
    }

    var blockCount: Int { offsets.count }

    /// The block that holds `ordinal`.
    func block(containing ordinal: Int) -> Int {
        var lo = 0
        var hi = blockCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if firstOrdinals[mid + 1] <= ordinal { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The only block that can hold `key` (the last whose first key is not above it), or nil.
    func block(of key: UInt128) -> Int? {
        var lo = 0
        var hi = blockCount
        while lo < hi {
            let mid = (lo + hi) / 2
            if firstKeys[mid] <= key { lo = mid + 1 } else { hi = mid }
        }
        return lo > 0 ? lo - 1 : nil
    }

    /// Block `k`, checked and decompressed.
    func read(block k: Int, codec: ZstdBlockCodec) throws -> RowBlock {
        let first = firstOrdinals[k]
        let rows = firstOrdinals[k + 1] - first
        let where_ = "rows \(first + 1)–\(first + rows)"
        let input = try Self.read(fd, path, offset: Int(offsets[k]), count: Int(compressedLengths[k]))
        guard CRC32.checksum(input) == crcs[k] else {
            throw InputError(file: path, message: "corrupt row blocks: checksum mismatch in the block of \(where_)")
        }
        let n = Int(rawLengths[k])
        let raw = try [UInt8](unsafeUninitializedCapacity: n) { buffer, initialized in
            do {
                try input.withUnsafeBytes { try codec.decompress($0, into: UnsafeMutableRawBufferPointer(buffer), file: path) }
            } catch {
                throw InputError(file: path, message: "corrupt row blocks: the block of \(where_) does not decompress (\(error))")
            }
            initialized = n
        }
        let bad = InputError(file: path, message: "corrupt row blocks: bad column layout in the block of \(where_)")
        var entries: [BlockEntry] = []
        entries.reserveCapacity(columns)
        var start = columns * RowBlockFormat.columnEntrySize
        guard raw.count >= start else { throw bad }
        try raw.withUnsafeBytes { b in
            for c in 0..<columns {
                let p = c * RowBlockFormat.columnEntrySize
                guard let encoding = BlockEncoding(rawValue: b[p]) else { throw bad }
                let length = Int(b.loadLE(UInt32.self, at: p + 4))
                let e = BlockEntry(
                    offset: UInt64(start), compressedLength: 0, rawLength: UInt32(length), crc: 0, encoding: encoding, width: b[p + 1],
                    base: Int64(bitPattern: b.loadLE(UInt64.self, at: p + 8)))
                guard start + length <= b.count else { throw bad }
                if let expected = StoreEncoding.expectedLength(e, rows: rows) {
                    guard expected == length else { throw bad }
                } else {
                    // Text: rows + 1 ascending offsets, the last one the end of the column's bytes.
                    guard length >= (rows + 1) * 4 else { throw bad }
                    var last: UInt32 = 0
                    for i in 0...rows {
                        let o = b.loadLE(UInt32.self, at: start + i * 4)
                        guard o >= last else { throw bad }
                        last = o
                    }
                    guard Int(last) == length - (rows + 1) * 4 else { throw bad }
                }
                entries.append(e)
                start += length
            }
            guard start == b.count else { throw bad }
        }
        return RowBlock(first: first, rows: rows, raw: raw, entries: entries)
    }
}

/// One decoded row block: every column of `rows` enterprises from ordinal `first`. Each entry's `offset` and
/// `rawLength` locate its column's bytes in `raw`.
struct RowBlock {
    let first: Int
    let rows: Int
    let raw: [UInt8]
    let entries: [BlockEntry]
}
