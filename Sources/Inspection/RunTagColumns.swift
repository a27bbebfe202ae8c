import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import ProfileStore

/// Some tags' values for every enterprise of a published run, read from its profile store.
public struct RunTagColumns: Sendable {
    /// USCCs in the store's row order (USCC order, as classes.csv).
    public var usccs: [String]
    /// By tag index of the catalog; one value per row of `usccs`.
    public var columns: [Int: Column]
    /// SHA-256 of the store file (`store/profile.dts`) as read.
    public var sha256: String

    /// Reads only the tag columns an expression needs, row group by row group.
    ///
    /// Values are those the run published: numbers rounded as `ValueFormat` writes them (as tags.csv and
    /// `digitag profile` show them), so a scope such as `ratio >= 0.3333` means what the analyst sees.
    /// Categorical values are vocabulary codes; text the vocabulary does not know yet is added.
    ///
    /// - Parameter tags: catalog indices of the tags to read.
    /// - Complexity: decodes the asked columns once; memory grows with the rows × the columns asked for.
    public static func read(run: String, catalog: TagCatalog, tags: Set<Int>, vocabulary: inout Vocabulary) throws -> RunTagColumns {
        let reader = try StoreReader(run: run)
        let wanted = tags.sorted()
        let storeColumns = try wanted.map { try reader.column(forTag: catalog.tags[$0].id) }
        let n = reader.meta.enterprises
        var usccs: [String] = []
        usccs.reserveCapacity(n)
        var numbers = [[Double]](repeating: [], count: wanted.count)
        var codes = [[Int32]](repeating: [], count: wanted.count)
        var vocab = vocabulary
        for g in 0..<reader.groupCount {
            usccs += try reader.keys(group: g).map(USCC.text)
            for (k, t) in wanted.enumerated() {
                switch try reader.publishedTagColumn(storeColumns[k], group: g, type: catalog.tags[t].type, vocabulary: &vocab) {
                case .numbers(let v): numbers[k] += v
                case .codes(let v): codes[k] += v
                }
            }
        }
        vocabulary = vocab
        var columns: [Int: Column] = [:]
        for (k, t) in wanted.enumerated() {
            columns[t] = catalog.tags[t].type.isCategory ? .codes(codes[k]) : .numbers(numbers[k])
        }
        return RunTagColumns(usccs: usccs, columns: columns, sha256: try SampleRunner.fileSHA256(reader.path))
    }
}
