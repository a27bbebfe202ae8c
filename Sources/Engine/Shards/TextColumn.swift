/// A column of texts in one byte arena: no `String` object per row, so millions of names cost their
/// bytes plus one offset each. Strings are made only when a shard needs them.
public struct TextColumn: Sendable {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    public init() {}

    public var count: Int { ends.count }

    public mutating func append(_ text: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: text)
        ends.append(bytes.count)
    }

    public func string(_ row: Int) -> String {
        let start = row == 0 ? 0 : ends[row - 1]
        return bytes[start..<ends[row]].withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }
}
