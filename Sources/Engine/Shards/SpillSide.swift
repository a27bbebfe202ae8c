import DigiTagIO

/// The side bytes of a spilled record: what the evaluator never reads but the run's evidence keeps.
///
/// Per record, in row order: its line in the delivery file (LEB128 varint), then each text field of the
/// source (`RecordLayout.textFields`) as a varint length and its UTF-8 bytes.
enum SpillSide {
    /// Appends one record's side bytes; allocates only when `bytes` grows past its capacity.
    @inline(__always)
    static func append(line: Int, texts: [Int], row: CSVRow, columnOfField: [Int], to bytes: inout [UInt8]) {
        Varint.append(UInt64(line), to: &bytes)
        for f in texts {
            let field = row.field(columnOfField[f])
            Varint.append(UInt64(field.count), to: &bytes)
            bytes.append(contentsOf: field)
        }
    }
}

/// Unsigned LEB128: 7 bits a byte, low first, high bit set on every byte but the last.
public enum Varint {
    @inline(__always)
    public static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Reads a varint at `position`, advancing it; nil when the bytes end inside it.
    @inline(__always)
    public static func read(_ bytes: UnsafeRawBufferPointer, _ position: inout Int) -> UInt64? {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 64 {
            let b = bytes[position]
            position += 1
            v |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
        return nil
    }
}
