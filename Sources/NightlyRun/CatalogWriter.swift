import Catalog
import DigiTagIO

/// Writes `tag_catalog.csv`: what every column of `tags.csv` means, for people and tools.
enum CatalogWriter {
    static func write(_ catalog: TagCatalog, to path: String) throws {
        let w = try CSVWriter(
            path: path,
            header: ["id", "name_zh", "name_en", "type", "unit", "family", "dimension", "sensitivity", "version", "expression"],
            bom: true, formulaSafe: true)
        for t in catalog.tags {
            let d = t.definition
            try w.row([
                d.id, d.nameZh, d.nameEn, d.kind.rawValue, d.unit ?? "", d.family, d.dimension.rawValue, d.sensitivity.rawValue,
                String(d.version), d.expression,
            ])
        }
        try w.close()
    }
}
