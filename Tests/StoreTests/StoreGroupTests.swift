import Catalog
@testable import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
@testable import Inspection
@testable import ProfileStore
@testable import Query
import Risk
import RunModel
import TestSupport
import Testing


@Suite("Row groups")
struct StoreGroupTests {
    /// Every value of a column, formatted, decoded block by block.
    static func allValues(_ reader: StoreReader, _ c: Int) throws -> [String] {
        var out: [String] = []
        let column = reader.meta.columns[c]
        for g in 0..<reader.groupCount {
            switch column.kind {
            case .key: out += try reader.keys(group: g).map(USCC.text)
            case .text: out += try reader.texts(column: c, group: g)
            case .category: out += try reader.dictionaryIndices(column: c, group: g).map { $0 < 0 ? "" : column.dictionary![Int($0)] }
            default: out += try reader.numbers(column: c, group: g).map { StoreReader.format($0, column) }
            }
        }
        return out
    }

    @Test("a store cut into many small row groups, fed by uneven shards, holds the same values and answers the same")
    func smallGroups() throws {
        let definition = StoreFixture.definition
        let catalog = definition.catalog
        let main = try StoreReader(run: StoreFixture.run)
        // The run's tags back from tags.csv, registration from the store, risk recomputed as the run does.
        var vocabulary = catalog.vocabulary
        let read = try RunTagColumns.read(run: StoreFixture.run, catalog: catalog, tags: Set(catalog.tags.indices), vocabulary: &vocabulary)
        let n = read.usccs.count
        let values = catalog.tags.indices.map { read.columns[$0]! }
        let entity = definition.sources.entitySource
        var numbers = [[Double]](repeating: [], count: entity.fields.count)
        var codes = [[Int32]](repeating: [], count: entity.fields.count)
        for (i, f) in entity.fields.enumerated() {
            guard let c = main.columnIndex["reg." + f.name] else { continue }
            if main.meta.columns[c].kind == .category {
                let d = main.meta.columns[c].dictionary!
                codes[i] = try main.dictionaryIndices(column: c, group: 0).map { $0 < 0 ? -1 : catalog.vocabulary.code(d[Int($0)])! }
            } else {
                numbers[i] = try main.numbers(column: c, group: 0)
            }
        }
        let keys = try read.usccs.map { try USCC.parse($0).get() }
        let whole = ShardData(ordinals: 0..<n, keys: keys, entityNumbers: numbers, entityCodes: codes, records: [])
        let evaluator = TagEvaluator(catalog: catalog, asOf: Day(iso: "2024-12-31")!)
        var entryColumns: [Int: [Double]] = [:]
        for (i, e) in definition.risk.entries.enumerated() {
            if let plan = e.expression { entryColumns[i] = evaluator.evaluate(plan, shard: whole, tags: values).numbers }
        }
        let ruleColumns = definition.risk.hardRules.map { evaluator.evaluate($0.condition, shard: whole, tags: values).numbers }
        let risk = RiskScorer(model: definition.risk).score(count: n, tags: values, entryColumns: entryColumns, ruleColumns: ruleColumns)
        let names = try main.texts(column: try main.column("name"), group: 0)

        let dir = TestPaths.temporaryDirectory("store-groups")
        let writer = try StoreWriter(directory: dir, definition: definition, asOf: main.meta.asOf, groupSize: 300)
        var start = 0
        for size in [7, 450, 1, 300, 299, 601] + [n] where start < n {
            let r = start..<min(n, start + size)
            let shard = ShardData(
                ordinals: r, keys: Array(keys[r]), entityNumbers: numbers.map { $0.isEmpty ? [] : Array($0[r]) },
                entityCodes: codes.map { $0.isEmpty ? [] : Array($0[r]) }, records: [])
            let slice = values.map { v -> Column in
                switch v {
                case .numbers(let x): return .numbers(Array(x[r]))
                case .codes(let x): return .codes(Array(x[r]))
                }
            }
            let reasons = risk[r].map { ReasonText.text($0, model: definition.risk, vocabulary: definition.catalog.vocabulary) }
            try writer.write(shard: shard, tagValues: slice, risk: Array(risk[r]), reasons: reasons, names: Array(names[r]))
            start = r.upperBound
        }
        try writer.close()

        let small = try StoreReader(run: dir)
        #expect(small.groupCount == (n + 299) / 300)
        #expect(small.meta.columns.map(\.name) == main.meta.columns.map(\.name))
        for c in main.meta.columns.indices {
            #expect(try Self.allValues(small, c) == (try Self.allValues(main, c)), "\(main.meta.columns[c].name)")
            #expect(small.meta.columns[c].filled == main.meta.columns[c].filled)
        }
        for k in stride(from: 0, to: n, by: 37) { #expect(try small.ordinal(of: keys[k]) == k) }
        #expect(try small.ordinal(of: try USCC.parse(USCC.complete("91370100MA0000000")).get()) == nil)
        let a = try StoreQuery(reader: small, definition: definition)
        let b = try StoreQuery(reader: main, definition: definition)
        for e in ["abnormal.listed", "class in ['C', 'D'] and city == '3702'", "score >= 10 and not inspection.any.1y"] {
            #expect(try a.matches(e) == (try b.matches(e)), "\(e)")
        }
    }
}
