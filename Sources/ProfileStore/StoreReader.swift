import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads a run's profile store, fetching only the blocks a question needs.
///
/// Opening reads the 16-byte header, the trailer, the metadata and the block directory; every block read
/// afterwards is checked against its CRC-32 and its expected length before it is decoded. Problems are
/// `InputError`s naming the file and what is wrong (exit code 3).
/// Decompression state for block reads: one per thread.
package final class StoreCursor {
    var decompressor: ZstdDecompressor
    /// Decompression output buffer, reused for every block.
    var scratch = [UInt8](repeating: 0, count: ZstdDecompressor.recommendedOutputSize)
    /// One-shot decompression of row blocks (`store/rows.dts`).
    let blockCodec: ZstdBlockCodec

    package init(path: String) throws {
        decompressor = try ZstdDecompressor(file: path)
        blockCodec = try ZstdBlockCodec()
    }
}

/// Methods without a cursor argument use the reader's own cursor: call them from one thread at a time;
/// threads reading in parallel pass a `StoreCursor` each (see `EnterpriseProfile.lookup`).
public final class StoreReader: @unchecked Sendable {
    // @unchecked Sendable: everything but `cursor` is immutable after init, and the file is read with
    // pread(2) only (no shared offset). `cursor` is used only by the methods that take no cursor, which the
    // documentation above restricts to one thread at a time.
    public let path: String
    public let meta: StoreMeta
    public let columnIndex: [String: Int]
    let fd: Int32
    let directory: [UInt8]
    let groupFirstKeys: [UInt128]
    let cursor: StoreCursor
    /// `store/rows.dts` beside the store; nil for a run published before runs had one.
    let rowBlocks: RowBlockReader?

    public convenience init(run: String) throws {
        try self.init(path: StoreFormat.path(run: run))
    }

    public init(path: String) throws {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw InputError(
                file: path, message: "no profile store here (the run is missing store/\(StoreFormat.fileName); runs made before the store existed have none: run again)")
        }
        self.fd = fd
        do {
            var st = stat()
            guard fstat(fd, &st) == 0 else { throw InputError(file: path, message: "cannot read the profile store") }
            let size = Int(st.st_size)
            guard size >= StoreFormat.headerSize else {
                throw InputError(file: path, message: "truncated profile store: \(size) bytes, shorter than its header")
            }
            let header = try Self.read(fd, path, offset: 0, count: StoreFormat.headerSize)
            guard Array(header[0..<8]) == StoreFormat.headerMagic else {
                throw InputError(file: path, message: "not a digitag profile store (its first bytes are not 'DGTSTORE')")
            }
            let version = header.withUnsafeBytes { $0.loadLE(UInt32.self, at: 8) }
            guard version == StoreFormat.version else {
                throw InputError(
                    file: path,
                    message: "profile store format version \(version) is not supported: this digitag reads version \(StoreFormat.version) "
                        + "(use the digitag release that wrote it, or run again to rebuild the store)")
            }
            guard size >= StoreFormat.headerSize + StoreFormat.trailerSize else {
                throw InputError(file: path, message: "truncated profile store: \(size) bytes, no room for its trailer")
            }
            let trailer = try Self.read(fd, path, offset: size - StoreFormat.trailerSize, count: StoreFormat.trailerSize)
            guard Array(trailer[40..<48]) == StoreFormat.trailerMagic else {
                throw InputError(
                    file: path, message: "truncated or unfinished profile store: the end mark 'DGTSEND1' is missing (the file was cut or not fully written)")
            }
            let (metaOffset, metaLength, dirOffset, dirLength, metaCRC, dirCRC) = trailer.withUnsafeBytes { b in
                (
                    Int(b.loadLE(UInt64.self, at: 0)), Int(b.loadLE(UInt64.self, at: 8)), Int(b.loadLE(UInt64.self, at: 16)),
                    Int(b.loadLE(UInt64.self, at: 24)), b.loadLE(UInt32.self, at: 32), b.loadLE(UInt32.self, at: 36)
                )
            }
            guard metaOffset >= StoreFormat.headerSize, metaOffset + metaLength == dirOffset,
                dirOffset + dirLength == size - StoreFormat.trailerSize
            else {
                throw InputError(file: path, message: "corrupt profile store: the trailer's offsets do not match the file's size (\(size) bytes)")
            }
            let metaBytes = try Self.read(fd, path, offset: metaOffset, count: metaLength)
            guard CRC32.checksum(metaBytes) == metaCRC else {
                throw InputError(file: path, message: "corrupt profile store: the metadata's checksum does not match")
            }
            let dir = try Self.read(fd, path, offset: dirOffset, count: dirLength)
            guard CRC32.checksum(dir) == dirCRC else {
                throw InputError(file: path, message: "corrupt profile store: the block directory's checksum does not match")
            }
            cursor = try StoreCursor(path: path)
            let decompressor = cursor.decompressor
            var metaScratch = [UInt8](repeating: 0, count: ZstdDecompressor.recommendedOutputSize)
            let json = try Self.decompress(metaBytes, expected: nil, decompressor: decompressor, scratch: &metaScratch, path: path)
            let meta: StoreMeta
            do {
                meta = try JSONDecoder().decode(StoreMeta.self, from: Data(json))
            } catch {
                throw InputError(file: path, message: "corrupt profile store: unreadable metadata (\(error))")
            }
            guard dir.count == meta.columns.count * meta.groupCount * StoreFormat.entrySize else {
                throw InputError(file: path, message: "corrupt profile store: the block directory does not match the metadata")
            }
            self.meta = meta
            directory = dir
            columnIndex = Dictionary(meta.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
            var firsts: [UInt128] = []
            for k in meta.groupFirstKeys {
                guard case .success(let packed) = USCC.parse(k) else {
                    throw InputError(file: path, message: "corrupt profile store: '\(k)' in the group index is not a USCC")
                }
                firsts.append(packed)
            }
            groupFirstKeys = firsts
            let rowsPath = FileSystem.join(FileSystem.directoryOf(path), RowBlockFormat.fileName)
            rowBlocks =
                FileManager.default.fileExists(atPath: rowsPath)
                ? try RowBlockReader(path: rowsPath, columns: meta.columns.count, enterprises: meta.enterprises) : nil
        } catch {
            close(fd)
            throw error
        }
    }

    deinit { close(fd) }

    private static func read(_ fd: Int32, _ path: String, offset: Int, count: Int) throws -> [UInt8] {
        guard count >= 0 else { throw InputError(file: path, message: "corrupt profile store: a negative length") }
        return try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            let done: Int
            do {
                done = try FileSystem.readFully(fd, into: buffer.baseAddress!, count: count, at: offset)
            } catch {
                throw InputError(file: path, message: "cannot read the profile store: \(error)")
            }
            if done < count {
                throw InputError(file: path, message: "truncated profile store: the file ends at byte \(offset + done), a block needs \(offset + count)")
            }
            initialized = count
        }
    }

    private static func decompress(
        _ input: [UInt8], expected: Int?, decompressor: ZstdDecompressor, scratch: inout [UInt8], path: String
    ) throws -> [UInt8] {
        // Usually the whole block decodes in one step straight into its array; otherwise it goes through `scratch`.
        if let expected, expected > 0 {
            var chunks = 0
            var produced = 0
            let direct = try? [UInt8](unsafeUninitializedCapacity: expected) { buffer, initialized in
                try input.withUnsafeBytes { inBytes in
                    try decompressor.decompress(inBytes, into: UnsafeMutableRawBufferPointer(buffer)) { chunk in
                        chunks += 1
                        produced += chunk.count
                    }
                }
                initialized = expected
            }
            if let direct, chunks == 1, produced == expected { return direct }
            throw InputError(file: path, message: "corrupt profile store: a block does not decompress to its recorded length")
        }
        var out: [UInt8] = []
        out.reserveCapacity(expected ?? input.count * 4)
        do {
            try input.withUnsafeBytes { inBytes in
                try scratch.withUnsafeMutableBytes { s in
                    try decompressor.decompress(inBytes, into: s) { out.append(contentsOf: $0) }
                }
            }
        } catch {
            throw InputError(file: path, message: "corrupt profile store: \(error)")
        }
        return out
    }

    // MARK: groups and blocks

    public var groupCount: Int { meta.groupCount }

    /// Rows of group `g`.
    public func rows(inGroup g: Int) -> Int { min(meta.groupSize, meta.enterprises - g * meta.groupSize) }

    func entry(column c: Int, group g: Int) throws -> BlockEntry {
        let p = (c * meta.groupCount + g) * StoreFormat.entrySize
        guard let e = directory.withUnsafeBytes({ BlockEntry.read($0, at: p) }) else {
            throw InputError(file: path, message: "corrupt profile store: unknown block encoding in the directory")
        }
        return e
    }

    /// The block's raw bytes, checked against its checksum and length.
    func block(column c: Int, group g: Int) throws -> (BlockEntry, [UInt8]) {
        try block(column: c, group: g, cursor: cursor)
    }

    func block(column c: Int, group g: Int, cursor: StoreCursor) throws -> (BlockEntry, [UInt8]) {
        let e = try entry(column: c, group: g)
        let compressed = try Self.read(fd, path, offset: Int(e.offset), count: Int(e.compressedLength))
        let where_ = "column '\(meta.columns[c].name)', rows \(g * meta.groupSize + 1)–\(g * meta.groupSize + rows(inGroup: g))"
        guard CRC32.checksum(compressed) == e.crc else {
            throw InputError(file: path, message: "corrupt profile store: checksum mismatch in the block of \(where_)")
        }
        let raw: [UInt8]
        do {
            raw = try Self.decompress(
                compressed, expected: Int(e.rawLength), decompressor: cursor.decompressor, scratch: &cursor.scratch, path: path)
        } catch {
            cursor.decompressor = try ZstdDecompressor(file: path)
            throw error
        }
        let expected = StoreEncoding.expectedLength(e, rows: rows(inGroup: g))
        guard raw.count == Int(e.rawLength), expected == nil || expected == raw.count else {
            throw InputError(file: path, message: "corrupt profile store: the block of \(where_) has \(raw.count) bytes, expected \(e.rawLength)")
        }
        if e.encoding == .text {
            let n = rows(inGroup: g)
            let ok = raw.count >= (n + 1) * 4
                && raw.withUnsafeBytes { b in
                    var last: UInt32 = 0
                    for i in 0...n {
                        let o = b.loadLE(UInt32.self, at: i * 4)
                        if o < last { return false }
                        last = o
                    }
                    return Int(last) == raw.count - (n + 1) * 4
                }
            guard ok else { throw InputError(file: path, message: "corrupt profile store: bad text offsets in the block of \(where_)") }
        }
        return (e, raw)
    }

    public func column(_ name: String) throws -> Int {
        guard let c = columnIndex[name] else { throw InputError(file: path, message: "the profile store has no column '\(name)'") }
        return c
    }

    /// Booleans (1/0), numbers and dates (days) of a column's group, NaN for empty.
    public func numbers(column c: Int, group g: Int) throws -> [Double] {
        let (e, raw) = try block(column: c, group: g)
        let n = rows(inGroup: g)
        return raw.withUnsafeBytes { b in
            switch e.encoding {
            case .bits: return StoreEncoding.decodeBits(b, rows: n)
            case .integers: return StoreEncoding.decodeIntegers(b, rows: n, width: e.width, base: e.base)
            case .doubles: return StoreEncoding.decodeDoubles(b, rows: n)
            case .text, .keys: return [Double](repeating: .nan, count: n)
            }
        }
    }

    /// A categorical column's group as dictionary indices (-1 for empty).
    public func dictionaryIndices(column c: Int, group g: Int) throws -> [Int32] {
        let values = try numbers(column: c, group: g)
        let size = meta.columns[c].dictionary?.count ?? 0
        return try values.map { v in
            if v.isNaN { return -1 }
            guard v >= 0, Int(v) < size else {
                throw InputError(file: path, message: "corrupt profile store: a value of column '\(meta.columns[c].name)' is outside its dictionary")
            }
            return Int32(v)
        }
    }

    public func texts(column c: Int, group g: Int) throws -> [String] {
        let (_, raw) = try block(column: c, group: g)
        return raw.withUnsafeBytes { StoreEncoding.decodeText($0, rows: rows(inGroup: g)) }
    }

    public func keys(group g: Int) throws -> [UInt128] {
        let (_, raw) = try block(column: try column("uscc"), group: g)
        return raw.withUnsafeBytes { StoreEncoding.decodeKeys($0, rows: rows(inGroup: g)) }
    }

    /// The ordinal of an enterprise, or nil when it is not in the store.
    /// - Complexity: one key block read, O(log n) comparisons.
    public func ordinal(of key: UInt128) throws -> Int? {
        var lo = 0
        var hi = groupFirstKeys.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if groupFirstKeys[mid] <= key { lo = mid + 1 } else { hi = mid }
        }
        let g = lo - 1
        guard g >= 0 else { return nil }
        let keys = try keys(group: g)
        var a = 0
        var b = keys.count
        while a < b {
            let m = (a + b) / 2
            if keys[m] < key { a = m + 1 } else { b = m }
        }
        return a < keys.count && keys[a] == key ? g * meta.groupSize + a : nil
    }
}
