@testable import Catalog
@testable import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
@testable import ProfileStore
import PropertyBased
@testable import Risk
@testable import RunModel
import TestSupport
import Testing


/// Whatever values a run hands the store writer, the reader gives them back: every number bit for bit
/// (-0.0, extremes of Int64 and Double, every integer width, empty as NaN), every category's text, every
/// name, and every key, for row counts on both sides of the 4,096-row group boundary and any shard split.
@Suite struct StorePropertyTests {
    /// A concrete generator for the bulk of the values (an existential one costs a dynamic call per value).
    typealias RNG = Xoshiro

    /// A small pipeline: SampleData's schemas and one tag of each type, to be cloned into random catalogs.
    static let base: PipelineDefinition = {
        let dir = TestPaths.temporaryDirectory("store-property-pipeline")
        for file in ["sources.yaml", "regions.csv", "industries.csv"] {
            try! FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines/" + file), toPath: dir + "/" + file)
        }
        TestPaths.write(
            "pipeline: props\nsources: sources.yaml\nregions: regions.csv\nindustries: industries.csv\ntags: tags.yaml\nrisk: risk.yaml\n",
            to: dir, "props.yaml")
        TestPaths.write(
            """
            dimension: other_departments
            sensitivity: internal
            tags:
              - {id: t.bool, name_zh: 布尔, name_en: bool, type: boolean, expr: exists(penalties)}
              - {id: t.number, name_zh: 数值, name_en: number, type: numeric, expr: count(penalties)}
              - {id: t.date, name_zh: 日期, name_en: date, type: date, expr: reg.established_on}
              - {id: t.category, name_zh: 类别, name_en: category, type: categorical, expr: reg.entity_type}
            """, to: dir, "tags.yaml")
        TestPaths.write(
            """
            model: props
            version: 1
            reasons: 2
            classes:
              - {class: A, name_zh: 低风险, name_en: low, min_score: 0}
              - {class: B, name_zh: 较低风险, name_en: lower, min_score: 5}
              - {class: C, name_zh: 较高风险, name_en: higher, min_score: 10}
              - {class: D, name_zh: 高风险, name_en: high, min_score: 20}
            scorecard:
              - {tag: t.bool, points: 10}
              - {tag: t.number, ranges: [{min: 1, below: 3, points: 5}, {min: 3, points: 8}]}
            """, to: dir, "risk.yaml")
        return try! PipelineDefinition.load(dir + "/props.yaml")
    }()

    /// What one store is made of: a catalog, and every value of every row.
    struct Case: CustomStringConvertible {
        var definition: PipelineDefinition
        var keys: [UInt128]
        var names: [String]
        var entityNumbers: [[Double]]
        var entityCodes: [[Int32]]
        var tagValues: [Column]
        var risk: [RiskResult]
        /// Where the rows are cut into shards.
        var shardEnds: [Int]

        var description: String {
            let types = definition.catalog.tags.map { "\($0.id): \($0.type)" }.joined(separator: ", ")
            return "\(keys.count) rows in shards ending at \(shardEnds), tags [\(types)]"
        }
    }

    // MARK: values

    static func chance(_ p: Double, _ rng: inout RNG) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    static func pick<T>(_ items: [T], _ rng: inout RNG) -> T { items.randomElement(using: &rng)! }

    static let extremes: [Double] = [
        0, -0.0, 1, -1, 0.5, -0.5, 9_007_199_254_740_991, -9_007_199_254_740_991, 9_007_199_254_740_992, -9_007_199_254_740_992,
        Double(Int64.max), Double(Int64.min), Double(Int32.max), Double(Int32.min), 1e15, -1e15, 1e300, -1e300,
        .greatestFiniteMagnitude, -.greatestFiniteMagnitude, .leastNonzeroMagnitude, -.leastNonzeroMagnitude,
        .leastNormalMagnitude, .ulpOfOne, .pi, 0.1, 1e-300, .infinity, -.infinity, .nan,
    ]

    /// A column of numbers in one of the shapes that choose the block encoding: whole numbers whose range
    /// needs 1, 2, 4 or 8 bytes (right at each width's edge too), any doubles, extremes, all empty.
    static func numbers(_ n: Int, _ rng: inout RNG) -> [Double] {
        let nulls = pick([0, 0, 0.05, 0.5, 1], &rng)
        let lo = Double(Int.random(in: -1_000_000...1_000_000, using: &rng))
        let style = Int.random(in: 0..<7, using: &rng)
        let edge = Double(pick([254, 255, 256, 65_534, 65_535, 65_536, 4_294_967_294, 4_294_967_295, 4_294_967_296], &rng))
        return (0..<n).map { i in
            if chance(nulls, &rng) { return .nan }
            switch style {
            case 0: return lo + Double(Int.random(in: 0...200, using: &rng))
            case 1: return lo + Double(Int.random(in: 0...60_000, using: &rng))
            // The whole range of an edge width: its lowest and highest value appear in every group.
            case 2: return i % 4096 == 0 ? lo : i % 4096 == 1 ? lo + edge : lo + Double(Int.random(in: 0...Int(edge), using: &rng))
            case 3: return Double(Int64.random(in: -9_007_199_254_740_991...9_007_199_254_740_991, using: &rng))
            case 4: return Double.random(in: -1e6...1e6, using: &rng)
            case 5: return pick(extremes, &rng)
            default: return chance(0.5, &rng) ? pick(extremes, &rng) : Double(Int.random(in: -3...3, using: &rng))
            }
        }
    }

    static func booleans(_ n: Int, _ rng: inout RNG) -> [Double] {
        let rate = pick([0, 0.01, 0.5, 0.99, 1], &rng)
        return (0..<n).map { _ in chance(rate, &rng) ? 1 : 0 }
    }

    /// Days since 1970 (dates are stored as whole days), empty as NaN.
    static func days(_ n: Int, _ rng: inout RNG) -> [Double] {
        let nulls = pick([0, 0.1, 1], &rng)
        let wide = chance(0.3, &rng)
        return (0..<n).map { _ in
            chance(nulls, &rng) ? .nan : Double(Int.random(in: wide ? -700_000...2_900_000 : -25_000...50_000, using: &rng))
        }
    }

    static func codes(_ n: Int, vocabulary: Int, _ rng: inout RNG) -> [Int32] {
        let nulls = pick([0, 0.1, 0.9, 1], &rng)
        // Few distinct values, or many (a dictionary that keeps growing from group to group).
        let pool = (0..<Int.random(in: 1...(chance(0.5, &rng) ? 5 : 2000), using: &rng)).map { _ in Int32.random(in: 0..<Int32(vocabulary), using: &rng) }
        return (0..<n).map { _ in chance(nulls, &rng) ? -1 : pick(pool, &rng) }
    }

    static let textAtoms = ["", "济南", "山东省", "有限公司", "a", " ", "\"", ",", "\n", "\u{0}", "😀", "é", "\u{FEFF}", "x"]
    /// Long texts, made once: up to 80 KB, longer than a zstd block.
    static let longTexts = [String(repeating: "长", count: 5000), String(repeating: "ab", count: 40_000), String(repeating: "😀", count: 1200)]

    static func text(_ rng: inout RNG) -> String {
        switch Int.random(in: 0..<20, using: &rng) {
        case 0, 1: return ""
        case 2: return pick(longTexts, &rng)
        default: return (0..<Int.random(in: 1...8, using: &rng)).map { _ in pick(textAtoms, &rng) }.joined()
        }
    }

    /// GB 32100-2015 weights of the first 17 characters, for the check character.
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// `n` distinct valid USCCs in order, packed (5 bits a character), made without building their text.
    static func keys(_ n: Int, _ rng: inout RNG) -> [UInt128] {
        var keys: [UInt128] = []
        keys.reserveCapacity(n)
        while keys.count < n {
            for _ in keys.count..<n {
                var packed: UInt128 = 0
                var sum = 0
                for i in 0..<17 {
                    let v = i == 0 ? 9 : i == 1 ? 1 : Int(rng.next() % 31)
                    sum += v * weights[i]
                    packed = packed << 5 | UInt128(v)
                }
                keys.append(packed << 5 | UInt128((31 - sum % 31) % 31))
            }
            keys.sort()
            keys = keys.indices.filter { $0 == 0 || keys[$0] != keys[$0 - 1] }.map { keys[$0] }
        }
        return keys
    }

    /// A catalog of 0 to 12 tags of random types, and a vocabulary grown by random texts (Chinese, long, empty).
    static func catalog(_ rng: inout RNG) -> TagCatalog {
        let b = base.catalog
        var vocabulary = b.vocabulary
        for _ in 0..<Int.random(in: 0...300, using: &rng) { vocabulary.intern(text(&rng)) }
        var tags: [CompiledTag] = []
        for k in 0..<Int.random(in: 0...12, using: &rng) {
            var t = pick(b.tags, &rng)
            t.definition.id = "p.\(k).\(t.definition.id)"
            tags.append(t)
        }
        return TagCatalog(
            sources: b.sources, vocabulary: vocabulary, tags: tags, evaluationOrder: Array(tags.indices),
            indexByID: Dictionary(uniqueKeysWithValues: tags.enumerated().map { ($1.id, $0) }), peerConditions: [])
    }

    static let cases: Generator<Case, Shrink.None<Case>> = Generator { source in
        var rng = Xoshiro(seed: (source.next(), source.next(), source.next(), source.next()))
        var definition = base
        definition.catalog = catalog(&rng)
        let g = StoreFormat.defaultGroupSize
        // Most stores small (quick), the others at or across a group boundary (4,096 rows).
        let n =
            chance(0.6, &rng)
            ? pick([0, 1, Int.random(in: 2...300, using: &rng)], &rng)
            : pick([g - 1, g, g + 1, 2 * g - 1, 2 * g, 2 * g + 1, Int.random(in: g...(2 * g + 2), using: &rng)], &rng)
        let vocabularySize = definition.catalog.vocabulary.strings.count
        let fields = definition.sources.entitySource.fields
        var entityNumbers = [[Double]](repeating: [], count: fields.count)
        var entityCodes = [[Int32]](repeating: [], count: fields.count)
        for (i, f) in fields.enumerated() {
            switch f.type.storage {
            case .number: entityNumbers[i] = f.isDate ? days(n, &rng) : f.type == .flag ? booleans(n, &rng) : numbers(n, &rng)
            case .code: entityCodes[i] = codes(n, vocabulary: vocabularySize, &rng)
            case .key, .text: break
            }
        }
        let tagValues: [Column] = definition.catalog.tags.map { t in
            switch t.type {
            case .bool: return .numbers(booleans(n, &rng))
            case .number: return .numbers(numbers(n, &rng))
            case .date: return .numbers(days(n, &rng))
            case .category: return .codes(codes(n, vocabulary: vocabularySize, &rng))
            }
        }
        let model = definition.risk
        let scores = numbers(n, &rng)
        let risk = (0..<n).map { r in
            let contributions = (0..<Int.random(in: 0...2, using: &rng)).map { _ in
                RiskResult.Contribution(entry: Int.random(in: 0..<model.entries.count, using: &rng), points: pick([10, 1, -2.5, 0.00001, 1e9], &rng), value: nil)
            }
            let c = Int.random(in: 0..<model.classes.count, using: &rng)
            return RiskResult(classIndex: c, score: scores[r], scoreClassIndex: c, contributions: contributions, firedRules: [])
        }
        var ends: [Int] = []
        var end = 0
        while end < n {
            end = min(n, end + pick([1, Int.random(in: 1...500, using: &rng), Int.random(in: 1...5000, using: &rng), n], &rng))
            ends.append(end)
        }
        return Case(
            definition: definition, keys: keys(n, &rng), names: (0..<n).map { _ in text(&rng) }, entityNumbers: entityNumbers,
            entityCodes: entityCodes, tagValues: tagValues, risk: risk, shardEnds: ends)
    }

    // MARK: the property

    /// Numbers compare bit for bit: -0.0 is not 0, and any NaN is an empty value.
    static func same(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

    /// What the store must hold in each column, in the writer's column order, and how to show a value.
    enum Expected {
        case key, text([String]), numbers([Double]), codes([Int32])
    }

    static func expectedColumns(_ c: Case) -> [(name: String, kind: StoreColumnKind, values: Expected)] {
        let d = c.definition
        let reasons = c.risk.map { ReasonText.text($0, model: d.risk, vocabulary: d.catalog.vocabulary) }
        var out: [(String, StoreColumnKind, Expected)] = [("uscc", .key, .key), ("name", .text, .text(c.names))]
        for (i, f) in d.sources.entitySource.fields.enumerated() {
            switch f.type.storage {
            case .number: out.append(("reg." + f.name, f.isDate ? .date : f.type == .flag ? .bool : .number, .numbers(c.entityNumbers[i])))
            case .code: out.append(("reg." + f.name, .category, .codes(c.entityCodes[i])))
            case .key, .text: break
            }
        }
        out.append(("class", .category, .codes(c.risk.map { Int32($0.classIndex) })))
        out.append(("score", .number, .numbers(c.risk.map(\.score))))
        out.append(("reasons", .text, .text(reasons.map(\.codes))))
        out.append(("reasons_zh", .text, .text(reasons.map(\.zh))))
        for (t, tag) in d.catalog.tags.enumerated() {
            switch tag.type {
            case .bool: out.append((tag.id, .bool, .numbers(c.tagValues[t].numbers)))
            case .number: out.append((tag.id, .number, .numbers(c.tagValues[t].numbers)))
            case .date: out.append((tag.id, .date, .numbers(c.tagValues[t].numbers)))
            case .category: out.append((tag.id, .category, .codes(c.tagValues[t].codes)))
            }
        }
        return out
    }

    static func write(_ c: Case, to directory: String) throws {
        let writer = try StoreWriter(directory: directory, definition: c.definition, asOf: "2024-12-31", threads: 2)
        var start = 0
        for end in c.shardEnds {
            let rows = start..<end
            let shard = ShardData(
                ordinals: rows, keys: Array(c.keys[rows]), entityNumbers: c.entityNumbers.map { $0.isEmpty ? [] : Array($0[rows]) },
                entityCodes: c.entityCodes.map { $0.isEmpty ? [] : Array($0[rows]) }, records: [])
            try writer.write(
                shard: shard, tagValues: c.tagValues.map { column in
                    switch column {
                    case .numbers(let v): .numbers(Array(v[rows]))
                    case .codes(let v): .codes(Array(v[rows]))
                    }
                }, risk: Array(c.risk[rows]),
                reasons: c.risk[rows].map { ReasonText.text($0, model: c.definition.risk, vocabulary: c.definition.catalog.vocabulary) },
                names: Array(c.names[rows]))
            start = end
        }
        try writer.close()
    }

    @Test func everyValueReadsBackAsWritten() async throws {
        let root = TestPaths.temporaryDirectory("store-property")
        var k = 0
        await SeededProperty.check("store round trip", seed: 4_096, iterations: 25, input: Self.cases) { c in
            k += 1
            let dir = root + "/\(k)"
            try Self.write(c, to: dir)
            let reader = try StoreReader(run: dir)
            let n = c.keys.count
            let g = StoreFormat.defaultGroupSize
            let d = c.definition
            let classText = { (code: Int32) in d.risk.classes[Int(code)].code }
            #expect(c.keys.prefix(3).allSatisfy { USCC.isValid(USCC.text($0)) }, "the generated keys are valid USCCs")
            #expect(reader.meta.enterprises == n)
            #expect(reader.meta.groupSize == g)
            #expect(reader.groupCount == (n + g - 1) / g)
            #expect(reader.meta.groupFirstKeys == stride(from: 0, to: n, by: g).map { USCC.text(c.keys[$0]) })
            #expect(reader.meta.tags.map(\.id) == d.catalog.tags.map(\.id))
            let expected = Self.expectedColumns(c)
            try #require(reader.meta.columns.map(\.name) == expected.map(\.name))
            #expect(reader.meta.columns.map(\.kind) == expected.map(\.kind))

            for (col, e) in expected.enumerated() {
                let meta = reader.meta.columns[col]
                var mismatches: [Int] = []
                var filled = 0
                for group in 0..<reader.groupCount {
                    let first = group * g
                    let rows = first..<(first + reader.rows(inGroup: group))
                    switch e.values {
                    case .key:
                        let keys = try reader.keys(group: group)
                        for (i, r) in rows.enumerated() where keys[i] != c.keys[r] { mismatches.append(r) }
                        filled += rows.count
                    case .text(let texts):
                        let read = try reader.texts(column: col, group: group)
                        for (i, r) in rows.enumerated() where read[i] != texts[r] { mismatches.append(r) }
                        filled += rows.count { !texts[$0].isEmpty }
                    case .numbers(let values):
                        let read = try reader.numbers(column: col, group: group)
                        for (i, r) in rows.enumerated() where !Self.same(read[i], values[r]) { mismatches.append(r) }
                        filled += rows.count { e.kind == .bool ? values[$0] != 0 : !values[$0].isNaN }
                    case .codes(let codes):
                        let read = try reader.dictionaryIndices(column: col, group: group)
                        let dictionary = meta.dictionary ?? []
                        for (i, r) in rows.enumerated() {
                            let want = codes[r] < 0 ? nil : e.name == "class" ? classText(codes[r]) : d.catalog.vocabulary.text(codes[r])
                            let got = read[i] < 0 ? nil : dictionary[Int(read[i])]
                            if want != got { mismatches.append(r) }
                        }
                        filled += rows.count { codes[$0] >= 0 }
                    }
                }
                #expect(mismatches.isEmpty, "column \(e.name) (\(e.kind)): \(mismatches.count) rows differ, first at \(mismatches.prefix(5))")
                #expect(meta.filled == filled, "column \(e.name): filled \(meta.filled), expected \(filled)")
                if case .codes = e.values {
                    #expect(Set(meta.dictionary ?? []).count == (meta.dictionary ?? []).count, "column \(e.name): a dictionary text twice")
                }
            }

            // The one-row path (`digitag profile`) formats as tags.csv does, at group edges and a few rows between.
            // (Each call decodes its block: a few rows keep this quick.)
            var probe = Set([0, g - 1, g, n - 1].filter { $0 >= 0 && $0 < n })
            var rng = Xoshiro(seed: (UInt64(n), 1, 2, 3))
            for _ in 0..<min(n, 2) { probe.insert(Int.random(in: 0..<n, using: &rng)) }
            for r in probe.sorted() {
                for (col, e) in expected.enumerated() {
                    let want: String
                    switch e.values {
                    case .key: want = USCC.text(c.keys[r])
                    case .text(let texts): want = texts[r]
                    case .numbers(let values):
                        switch e.kind {
                        case .bool: want = values[r] != 0 ? "1" : "0"
                        case .date: want = values[r].isNaN ? "" : Day(Int32(values[r])).description
                        default: want = ValueFormat.number(values[r])
                        }
                    case .codes(let codes):
                        want = codes[r] < 0 ? "" : e.name == "class" ? classText(codes[r]) : d.catalog.vocabulary.text(codes[r])!
                    }
                    let got = try reader.formatted(column: col, ordinal: r)
                    #expect(got == want, "row \(r), column \(e.name)")
                }
                #expect(try reader.ordinal(of: c.keys[r]) == r, "row \(r)'s key")
            }
        }
    }
}
