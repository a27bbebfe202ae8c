import Catalog
import DataContract
import DigiTagBase
import Engine
import ProfileStore
import RunModel

/// One enterprise's published tag values, read from a run's profile store as 1-row columns.
///
/// Numbers are rounded as the run publishes them (`ValueFormat`), so an explanation recomputes the class from
/// the values the profile shows.
///
/// - Complexity: one row block (`store/rows.dts`); without row blocks, one key block and one block of each tag column.
public struct StoreTagRow: Sendable {
    public var uscc: String
    /// By tag index of the catalog; each column has exactly one value.
    public var columns: [Column]

    public init(uscc: String, columns: [Column]) {
        self.uscc = uscc
        self.columns = columns
    }

    public static func read(run: String, uscc: String, catalog: TagCatalog) throws -> StoreTagRow? {
        let reader = try StoreReader(run: run)
        guard case .success(let key) = USCC.parse(uscc), let row = try reader.row(of: key) else { return nil }
        var vocabulary = catalog.vocabulary
        var columns: [Column] = []
        columns.reserveCapacity(catalog.tags.count)
        for tag in catalog.tags {
            let c = try reader.column(forTag: tag.id)
            let v = try row.number(column: c)
            guard tag.type.isCategory else {
                // As `publishedTagColumn`: numbers rounded as the run publishes them.
                columns.append(.numbers([tag.type == .number ? ValueFormat.rounded(v) : v]))
                continue
            }
            guard !v.isNaN else {
                columns.append(.codes([-1]))
                continue
            }
            let dictionary = reader.meta.columns[c].dictionary ?? []
            guard v >= 0, Int(v) < dictionary.count else {
                throw InputError(file: reader.path, message: "corrupt profile store: a value of column '\(tag.id)' is outside its dictionary")
            }
            let text = dictionary[Int(v)]
            columns.append(.codes([vocabulary.code(text) ?? vocabulary.intern(text)]))
        }
        return StoreTagRow(uscc: uscc, columns: columns)
    }
}
