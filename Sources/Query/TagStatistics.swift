import Catalog
import DigiTagBase
import DigiTagIO
import Engine

/// Per-tag coverage on a run, and the tags that carry no information: constant, or equal to another tag.
///
/// One streaming pass over `tags.csv`. Columns are compared by a 64-bit hash of all their values, so
/// "duplicate of" means identical on every enterprise (a hash collision is possible in principle, at
/// odds of about 1 in 2^64 per pair).
public struct TagStatistics: Sendable {
    public struct Entry: Sendable {
        public var id: String
        public var type: String
        public var family: String
        /// Booleans: share true. Others: share non-empty.
        public var coverage: Double
        public var constant: Bool
        public var duplicateOf: String?
    }

    public var enterprises: Int
    public var entries: [Entry]

    public var constantCount: Int { entries.filter(\.constant).count }
    public var duplicateCount: Int { entries.filter { !$0.constant && $0.duplicateOf != nil }.count }
    public var uninformativeShare: Double {
        entries.isEmpty ? 0 : Double(constantCount + duplicateCount) / Double(entries.count)
    }

    /// - Parameter tagsFile: a file in tags.csv's layout (`digitag export tags`); default: the run's own tags.csv.
    public static func compute(run: String, catalog: TagCatalog, tagsFile: String? = nil) throws -> TagStatistics {
        let path = tagsFile ?? FileSystem.join(run, "tags.csv")
        guard FileSystem.exists(path) else {
            throw InputError(
                file: path,
                message: tagsFile == nil
                    ? "this run has no tags.csv (a run writes it up to 100,000 enterprises, or with --tags-csv always): "
                        + "write it from the store with 'digitag export tags --run \(run) --out FILE', then pass --tags FILE"
                    : "no such file")
        }
        var header: [String] = []
        var isBool: [Bool] = []
        var filled: [Int] = []
        var trues: [Int] = []
        var hashes: [UInt64] = []
        var first: [[UInt8]] = []
        var constant: [Bool] = []
        var rows = 0
        try CSVReader(path: path).read(
            onRow: { row in
                if header.isEmpty {
                    header = row.strings
                    let n = header.count
                    isBool = header.map { catalog.tag($0)?.type == .bool }
                    filled = Array(repeating: 0, count: n)
                    trues = Array(repeating: 0, count: n)
                    hashes = Array(repeating: 0xcbf2_9ce4_8422_2325, count: n)
                    first = Array(repeating: [], count: n)
                    constant = Array(repeating: true, count: n)
                    return
                }
                guard row.count == header.count else {
                    throw InputError(file: path, line: row.line, message: "expected \(header.count) fields, found \(row.count)")
                }
                for i in 1..<row.count {
                    let f = row.field(i)
                    if !f.isEmpty { filled[i] += 1 }
                    if isBool[i] && f.count == 1 && f[0] == 0x31 { trues[i] += 1 }
                    var h = hashes[i]
                    for b in f { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
                    h = (h ^ 0x1F) &* 0x100_0000_01b3
                    hashes[i] = h
                    if rows == 0 {
                        first[i] = Array(f)
                    } else if constant[i] && !f.elementsEqual(first[i]) {
                        constant[i] = false
                    }
                }
                rows += 1
            },
            onSyntaxProblem: { p in throw InputError(file: path, line: p.line, message: p.message) })
        var firstWithHash: [UInt64: String] = [:]
        var entries: [Entry] = []
        for i in 1..<header.count {
            let id = header[i]
            let tag = catalog.tag(id)
            let denominator = Double(max(rows, 1))
            let coverage = Double(isBool[i] ? trues[i] : filled[i]) / denominator
            let duplicateOf = firstWithHash[hashes[i]]
            if duplicateOf == nil { firstWithHash[hashes[i]] = id }
            entries.append(
                Entry(
                    id: id, type: tag?.definition.kind.rawValue ?? "?", family: tag?.definition.family ?? "?", coverage: coverage,
                    constant: constant[i], duplicateOf: duplicateOf))
        }
        return TagStatistics(enterprises: rows, entries: entries)
    }
}
