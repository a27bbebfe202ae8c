import Catalog
import DataContract
import DigiTagBase
import Engine
import ProfileStore
import RunModel

/// The records behind one enterprise's tags, from the run's evidence archive: for a tag, the records that
/// entered each of its aggregates (after filter and window; for `latest`/`earliest` the one chosen), and for
/// a tag that reads other tags, theirs, grouped by tag.
///
/// Which records entered is decided by the engine itself (`TagEvaluator.evidence`) over a one-enterprise
/// shard of the archived records, so explain and the run cannot disagree on a filter or a window.
public struct TagEvidence: Sendable {
    public struct Record: Sendable {
        public var record: EvidenceRecord
        /// As a person reads it (`RecordText`).
        public var text: String
        /// `<delivery file>:<line>`.
        public var origin: String
    }

    public struct Aggregate: Sendable {
        public var source: String
        public var function: String
        /// Records that passed the filter and window (more than `records` for `latest`/`earliest`).
        public var matched: Int
        public var records: [Record]
    }

    public struct Group: Sendable {
        public var tag: String
        public var nameZh: String
        public var expression: String
        public var value: String
        public var aggregates: [Aggregate]
    }

    /// The tag asked about first, then every tag it reads (depth first, each once).
    public var groups: [Group]

    /// Reads what explaining needs once, for any number of tags of one enterprise.
    public final class Source {
        let catalog: TagCatalog
        let evaluator: TagEvaluator
        let row: StoreTagRow
        let shard: ShardData
        let records: [[EvidenceRecord]]
        let reader: EvidenceReader

        /// nil when the enterprise is not in the run.
        public init?(run: String, uscc: String, definition: PipelineDefinition) throws {
            let manifest = try Manifest.read(FileSystem.join(run, "manifest.json"))
            catalog = definition.catalog
            guard case .success(let key) = USCC.parse(uscc), let ordinal = try StoreReader(run: run).ordinal(of: key),
                let row = try StoreTagRow.read(run: run, uscc: uscc, catalog: catalog)
            else { return nil }
            self.row = row
            reader = try EvidenceReader(run: run, sources: definition.sources)
            (shard, records) = try reader.shard(ordinal: ordinal)
            evaluator = TagEvaluator(catalog: catalog, asOf: Day(iso: manifest.asOf)!)
        }

        /// For many enterprises of one run: the archive opened once, the enterprise's published tag values
        /// given (`columns`: by tag index, one value each).
        public init(catalog: TagCatalog, asOf: Day, reader: EvidenceReader, ordinal: Int, uscc: String, columns: [Column]) throws {
            self.catalog = catalog
            row = StoreTagRow(uscc: uscc, columns: columns)
            self.reader = reader
            (shard, records) = try reader.shard(ordinal: ordinal)
            evaluator = TagEvaluator(catalog: catalog, asOf: asOf)
        }

        /// The published value of tag `t` as the profile shows it.
        public func value(_ t: Int) -> String {
            let v = ValueFormat.value(row.columns[t], 0, type: catalog.tags[t].type, vocabulary: catalog.vocabulary)
            return v.isEmpty ? "(empty)" : v
        }

        public func evidence(tag t: Int) -> TagEvidence {
            var groups: [Group] = []
            var seen = Set<Int>()
            var stack = [t]
            while let i = stack.first {
                stack.removeFirst()
                guard seen.insert(i).inserted else { continue }
                groups.append(group(i))
                // The tags it reads, in the order its expression names them (dependencies are ids).
                let reads = catalog.tags[i].dependencies.compactMap { catalog.indexByID[$0] }.filter { !seen.contains($0) }
                stack.insert(contentsOf: reads, at: 0)
            }
            return TagEvidence(groups: groups)
        }

        func group(_ t: Int) -> Group {
            let tag = catalog.tags[t]
            let aggregates = evaluator.evidence(of: t, shard: shard, tags: row.columns).map { a in
                let schema = catalog.sources.sources[a.plan.source]
                return Aggregate(
                    source: schema.name, function: a.plan.function.rawValue, matched: a.matched,
                    records: a.records.map { r in
                        let record = records[a.plan.source][r]
                        return Record(
                            record: record, text: RecordText.text(record, schema: schema, vocabulary: catalog.vocabulary),
                            origin: "\(reader.file(source: a.plan.source, index: record.file)):\(record.line)")
                    })
            }
            return Group(tag: tag.id, nameZh: tag.definition.nameZh, expression: tag.definition.expression, value: value(t), aggregates: aggregates)
        }
    }

    /// As a person reads it, each line indented by `indent`.
    public func text(indent: String = "") -> String {
        var out: [String] = []
        for g in groups {
            out.append("\(indent)\(g.tag) = \(g.value)  \(g.nameZh)")
            out.append("\(indent)  \(g.expression)")
            if g.aggregates.isEmpty { out.append("\(indent)  (reads no records)") }
            for a in g.aggregates {
                let chosen = a.records.count < a.matched ? " (the one that decides, of \(a.matched))" : ""
                out.append("\(indent)  \(a.function)(\(a.source)): \(a.records.count) record\(a.records.count == 1 ? "" : "s")\(chosen)")
                for r in a.records { out.append("\(indent)    \(r.text)  [\(r.origin)]") }
            }
        }
        return out.joined(separator: "\n")
    }
}
