import Catalog
import DataContract
import DigiTagBase
import Engine
import ProfileStore
import RunModel

/// `digitag export tags`: a run's tag values, from its profile store, in the layout of `tags.csv`.
///
/// Written by the run's own `TagsCSVWriter`, so exporting every column of every enterprise gives the bytes the
/// run writes with `--tags-csv always`. A condition keeps only the enterprises for which it holds (the
/// query language of `digitag query`); a column list keeps only some tags.
public enum TagExport {
    public struct Summary: Sendable, Equatable {
        public var rows: Int
        public var columns: Int
    }

    /// The catalog indices a `--columns` list names, in catalog order: tag ids, or a prefix ending in `*`
    /// (`tax.*`). Nil or empty: every tag.
    public static func selectTags(_ names: [String]?, catalog: TagCatalog) throws -> [Int] {
        guard let names, !names.isEmpty else { return Array(catalog.tags.indices) }
        var chosen = Set<Int>()
        for name in names {
            if name.hasSuffix("*") {
                let prefix = String(name.dropLast())
                let hits = catalog.tags.indices.filter { catalog.tags[$0].id.hasPrefix(prefix) }
                guard !hits.isEmpty else { throw QueryError(expression: name, offset: 0, message: "no tag starts with '\(prefix)'") }
                chosen.formUnion(hits)
            } else if let t = catalog.indexByID[name] {
                chosen.insert(t)
            } else {
                let hint = closestMatch(to: name, in: catalog.tags.map(\.id)).map { "did you mean '\($0)'?" }
                throw QueryError(expression: name, offset: 0, message: "no tag '\(name)' in the catalog", hint: hint)
            }
        }
        return chosen.sorted()
    }

    /// Writes the export to `path` (`.zst`: zstd-compressed).
    public static func write(
        run: String, definition: PipelineDefinition, condition: String?, columns: [String]?, to path: String
    ) throws -> Summary {
        let reader = try StoreReader(run: run)
        let catalog = definition.catalog
        // The query checks the pipeline is the run's; without a condition the same check is made here.
        var selected: [Bool]?
        if let condition {
            let query = try StoreQuery(reader: reader, definition: definition)
            var keep = [Bool](repeating: false, count: reader.meta.enterprises)
            for o in try query.matches(condition) { keep[o] = true }
            selected = keep
        } else if reader.meta.pipelineHash != definition.hash {
            throw Diagnostic(
                SourceLocation(file: definition.path),
                "the pipeline changed since the run's store was made (hash \(reader.meta.pipelineHash.prefix(12))… ≠ \(definition.hash.prefix(12))…)",
                hint: "export with the pipeline files of that run (--pipeline), or run again")
        }
        let tags = try selectTags(columns, catalog: catalog)
        let storeColumns = try tags.map { try reader.column(forTag: catalog.tags[$0].id) }
        let writer = try TagsCSVWriter(path: path, catalog: catalog, tags: tags)
        var vocabulary = catalog.vocabulary
        var numbers = [[Double]](repeating: [], count: catalog.tags.count)
        var codes = [[Int32]](repeating: [], count: catalog.tags.count)
        var rows = 0
        for g in 0..<reader.groupCount {
            let start = g * reader.meta.groupSize
            let n = reader.rows(inGroup: g)
            if let selected, !selected[start..<(start + n)].contains(true) { continue }
            let keys = try reader.keys(group: g)
            for (k, t) in tags.enumerated() {
                switch try reader.tagColumn(storeColumns[k], group: g, type: catalog.tags[t].type, vocabulary: &vocabulary) {
                case .numbers(let v): numbers[t] = v
                case .codes(let v): codes[t] = v
                }
            }
            // Every dictionary text of a store made with this catalog is a text of its vocabulary.
            guard vocabulary.strings.count == catalog.vocabulary.strings.count else {
                throw InputError(file: reader.path, message: "corrupt profile store: a category value the catalog does not know")
            }
            for r in 0..<n where selected?[start + r] ?? true {
                try writer.row(uscc: USCC.text(keys[r]), numbers: numbers, codes: codes, r)
                rows += 1
            }
        }
        try writer.close()
        return Summary(rows: rows, columns: tags.count + 1)
    }
}
