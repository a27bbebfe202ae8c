import Catalog
import DataContract
import DigiTagBase
import Engine
import ProfileStore

/// One enterprise's published tag values, read from a run's profile store as 1-row columns.
///
/// Numbers are rounded as the run publishes them (`ValueFormat`), so an explanation recomputes the class from
/// the values the profile shows.
///
/// - Complexity: finds the USCC (one key block), then decodes one block of each tag column.
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
        guard case .success(let key) = USCC.parse(uscc), let ordinal = try reader.ordinal(of: key) else { return nil }
        let g = ordinal / reader.meta.groupSize
        let r = ordinal % reader.meta.groupSize
        var vocabulary = catalog.vocabulary
        var columns: [Column] = []
        columns.reserveCapacity(catalog.tags.count)
        for tag in catalog.tags {
            switch try reader.publishedTagColumn(try reader.column(forTag: tag.id), group: g, type: tag.type, vocabulary: &vocabulary) {
            case .numbers(let v): columns.append(.numbers([v[r]]))
            case .codes(let v): columns.append(.codes([v[r]]))
            }
        }
        return StoreTagRow(uscc: uscc, columns: columns)
    }
}
