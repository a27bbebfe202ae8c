import Catalog
import DataContract
import DigiTagBase
import DigiTagIO

/// Writes `tags.csv`: `uscc`, then one column per tag, each value as `ValueFormat` writes it.
///
/// The one writer of the layout, used by the nightly run (`--tags-csv`) and by `digitag export tags`, so an
/// export of a run's store is byte for byte the file the run would have written. Values go straight into the
/// CSV buffer, without a `String` per cell.
package final class TagsCSVWriter {
    /// How each written tag's values are formatted, decided once rather than per value.
    enum Kind { case bool, number, date, category }

    let csv: CSVWriter
    /// Catalog indices of the tags written, in column order.
    package let tags: [Int]
    let kinds: [Kind]
    /// Each vocabulary code's text as CSV field bytes (quoted where the text needs it).
    let categoryBytes: [[UInt8]]

    /// - Parameter tags: catalog indices of the columns to write (default: every tag, in catalog order).
    ///   A path ending in `.zst` is written zstd-compressed.
    package init(path: String, catalog: TagCatalog, tags: [Int]? = nil) throws {
        let chosen = tags ?? Array(catalog.tags.indices)
        self.tags = chosen
        csv = try CSVWriter(path: path, header: ["uscc"] + chosen.map { catalog.tags[$0].id })
        kinds = chosen.map { t in
            switch catalog.tags[t].type {
            case .bool: return .bool
            case .number: return .number
            case .date: return .date
            case .category: return .category
            }
        }
        categoryBytes = catalog.vocabulary.strings.map { text in
            let utf8 = Array(text.utf8)
            guard utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return utf8 }
            return [0x22] + utf8.flatMap { $0 == 0x22 ? [0x22, 0x22] : [$0] } + [0x22]
        }
    }

    /// One enterprise's row. `numbers` and `codes` are indexed by catalog tag (unpacked once per shard or
    /// row group: `.numbers` columns in `numbers`, `.codes` columns in `codes`); `e` is the row within them.
    package func row(uscc: String, numbers: [[Double]], codes: [[Int32]], _ e: Int) throws {
        csv.field(uscc)
        for (k, t) in tags.enumerated() {
            switch kinds[k] {
            case .bool:
                csv.rawField(CollectionOfOne(numbers[t][e] != 0 ? UInt8(0x31) : UInt8(0x30)))
            case .number:
                let v = numbers[t][e]
                if v.isNaN {
                    csv.rawField(EmptyCollection())
                } else {
                    let r = ValueFormat.rounded(v)
                    if let whole = ValueFormat.wholeNumber(r) { csv.integerField(whole) } else { csv.rawField(String(r).utf8) }
                }
            case .date:
                let v = numbers[t][e]
                if v.isNaN { csv.rawField(EmptyCollection()) } else { csv.rawField(Day(Int32(v)).description.utf8) }
            case .category:
                let c = codes[t][e]
                if c < 0 { csv.rawField(EmptyCollection()) } else { csv.rawField(categoryBytes[Int(c)]) }
            }
        }
        try csv.endRow()
    }

    package func close() throws { try csv.close() }
}
