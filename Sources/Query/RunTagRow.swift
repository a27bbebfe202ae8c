import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine

/// One enterprise's published tag values, read back from a run's `tags.csv` as 1-row columns.
///
/// - Complexity: O(size of tags.csv): a streaming scan that stops at the enterprise's row.
public struct RunTagRow: Sendable {
    public var uscc: String
    /// By tag index of the catalog; each column has exactly one value.
    public var columns: [Column]

    public static func read(run: String, uscc: String, catalog: TagCatalog) throws -> RunTagRow? {
        let path = FileSystem.join(run, "tags.csv")
        guard FileSystem.exists(path) else { throw InputError(file: path, message: "no tags.csv: not a complete run directory") }
        guard let (header, found) = try CSVRowLookup.find(path: path, key: uscc) else { return nil }
        var columns: [Column] = []
        for tag in catalog.tags {
            guard let i = header.firstIndex(of: tag.id), i < found.count else {
                throw InputError(file: path, line: 1, message: "tag '\(tag.id)' is not in this run: the catalog changed since")
            }
            columns.append(parse(found[i], type: tag.type, vocabulary: catalog.vocabulary))
        }
        return RunTagRow(uscc: uscc, columns: columns)
    }

    /// Parses a value as `ValueFormat` wrote it.
    public static func parse(_ text: String, type: ValueType, vocabulary: Vocabulary) -> Column {
        switch type {
        case .bool: return .numbers([text == "1" ? 1 : 0])
        case .number: return .numbers([Double(text) ?? .nan])
        case .date: return .numbers([Day(iso: text).map { Double($0.value) } ?? .nan])
        case .category: return .codes([text.isEmpty ? -1 : (vocabulary.code(text) ?? -1)])
        }
    }
}
