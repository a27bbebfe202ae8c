import DigiTagBase
import DigiTagIO

/// Writes `store/rows.dts` (`RowBlockFormat`) beside the profile store, row group after row group.
final class RowBlockWriter {
    let path: String
    let file: OutputFile
    var offset = UInt64(RowBlockFormat.headerSize)
    var directory: [UInt8] = []
    var blockCount = 0

    init(path: String) throws {
        self.path = path
        file = try OutputFile(creating: path)
    }

    /// Writes the header, once the store's columns are known.
    func begin(columns: Int) throws {
        var header = RowBlockFormat.magic
        header.appendLE(RowBlockFormat.version)
        header.appendLE(UInt32(RowBlockFormat.blockSize))
        header.appendLE(UInt32(columns))
        header.appendLE(UInt32(0))
        try file.write(header)
    }

    /// The raw bytes of one row block: rows `range` of a row group's buffered columns.
    static func encode(
        _ range: Range<Int>, kinds: [StoreColumnKind], numbers: [[Double]], codes: [[Int32]], texts: [[String]], keys: [UInt128]
    ) -> [UInt8] {
        var head: [UInt8] = []
        head.reserveCapacity(kinds.count * RowBlockFormat.columnEntrySize)
        var data: [UInt8] = []
        for (c, kind) in kinds.enumerated() {
            let start = data.count
            let encoding: BlockEncoding
            var width: UInt8 = 0
            var base: Int64 = 0
            switch kind {
            case .key:
                encoding = .keys
                width = 16
                StoreEncoding.appendKeys(keys[range], to: &data)
            case .text:
                encoding = .text
                StoreEncoding.appendText(texts[c][range], to: &data)
            case .bool:
                encoding = .bits
                width = 1
                StoreEncoding.appendBits(numbers[c][range], to: &data)
            case .number, .date:
                let v = numbers[c][range]
                if let (w, b) = StoreEncoding.integerLayout(v) {
                    (encoding, width, base) = (.integers, w, b)
                    StoreEncoding.appendIntegers(v, width: w, base: b, to: &data)
                } else {
                    (encoding, width) = (.doubles, 8)
                    StoreEncoding.appendDoubles(v, to: &data)
                }
            case .category:
                let v = codes[c][range].lazy.map { $0 < 0 ? Double.nan : Double($0) }
                let (w, b) = StoreEncoding.integerLayout(v)!
                (encoding, width, base) = (.integers, w, b)
                StoreEncoding.appendIntegers(v, width: w, base: b, to: &data)
            }
            head.append(encoding.rawValue)
            head.append(width)
            head.appendLE(UInt16(0))
            head.appendLE(UInt32(data.count - start))
            head.appendLE(UInt64(bitPattern: base))
        }
        return head + data
    }

    /// Appends compressed blocks (in ordinal order) with the first key and row count of each.
    func append(_ blocks: [(compressed: [UInt8], rawLength: Int, firstKey: UInt128, rows: Int)]) throws {
        var out: [UInt8] = []
        for b in blocks {
            directory.appendLE(offset + UInt64(out.count))
            directory.appendLE(UInt32(b.compressed.count))
            directory.appendLE(UInt32(b.rawLength))
            directory.appendLE(CRC32.checksum(b.compressed))
            directory.appendLE(UInt32(b.rows))
            directory.appendLE(b.firstKey)
            out += b.compressed
            blockCount += 1
        }
        try file.write(out)
        offset += UInt64(out.count)
    }

    func close() throws {
        var trailer: [UInt8] = []
        trailer.appendLE(offset)
        trailer.appendLE(CRC32.checksum(directory))
        trailer.appendLE(UInt32(blockCount))
        trailer += RowBlockFormat.endMark
        try file.write(directory + trailer)
        try file.sync()
        try file.close()
    }
}
