import Catalog
import DigiTagBase

/// Evaluates a compiled catalog over one shard, column by column.
///
/// Each plan node produces a whole column (one value per enterprise, or per record inside a `where`);
/// nothing is interpreted per enterprise. Aggregates and record filters are memoised per shard, so a
/// family of tags that share a filter and window computes it once.
public struct TagEvaluator: Sendable {
    public let catalog: TagCatalog
    public let asOf: Day

    public init(catalog: TagCatalog, asOf: Day) {
        self.catalog = catalog
        self.asOf = asOf
    }

    /// Values of every tag for every enterprise of the shard, by tag index.
    ///
    /// - Parameter peers: per-person totals of the catalog's `peers_count` conditions (see `peerCounts`).
    public func evaluate(_ shard: ShardData, peers: PeerTotals = .none) -> [Column] {
        var run = ShardRun(shard: shard, asOf: Double(asOf.value), sortRank: catalog.vocabulary.sortRank)
        run.peers = peers
        run.peerConditions = catalog.peerConditions
        var results = [Column?](repeating: nil, count: catalog.tags.count)
        for i in catalog.evaluationOrder {
            let column = run.eval(catalog.tags[i].plan, record: nil, tags: results)
            results[i] = column
        }
        return results.map { $0! }
    }

    /// Evaluates an extra expression (a risk rule, a task scope) given tag values already computed.
    public func evaluate(_ plan: PlanNode, shard: ShardData, tags: [Column]) -> Column {
        var run = ShardRun(shard: shard, asOf: Double(asOf.value), sortRank: catalog.vocabulary.sortRank)
        return run.eval(plan, record: nil, tags: tags)
    }

    /// Tags the `peers_count` conditions read, directly or through other tags.
    var peerConditionTags: Set<Int> {
        var needed = Set<Int>()
        var stack = Array(catalog.peerConditions.flatMap(\.tagIndices))
        while let t = stack.popLast() {
            guard needed.insert(t).inserted else { continue }
            stack += catalog.tags[t].dependencies.compactMap { catalog.indexByID[$0] }
        }
        return needed
    }

    /// Record sources the first (`peers_count`) pass reads: a shard loaded for it needs only these.
    public var peerConditionSources: Set<Int> {
        peerConditionTags.reduce(into: catalog.peerConditions.reduce(into: Set<Int>()) { $0.formUnion($1.recordSources) }) {
            $0.formUnion(catalog.tags[$1].plan.recordSources)
        }
    }

    /// First pass of a run with `peers_count` tags: for each condition, the person group of every
    /// enterprise of this shard that satisfies it (one entry per enterprise). Adding 1 per entry over all
    /// shards gives the person totals. Sparse on purpose: a shard's answer is the size of the shard, not of
    /// the province's list of persons.
    public func peerMatches(_ shard: ShardData) -> [[Int32]] {
        let conditions = catalog.peerConditions
        guard !conditions.isEmpty else { return [] }
        let needed = peerConditionTags
        var run = ShardRun(shard: shard, asOf: Double(asOf.value), sortRank: catalog.vocabulary.sortRank)
        var results = [Column?](repeating: nil, count: catalog.tags.count)
        for i in catalog.evaluationOrder where needed.contains(i) {
            results[i] = run.eval(catalog.tags[i].plan, record: nil, tags: results)
        }
        return conditions.map { c in
            let flags = run.eval(c, record: nil, tags: results).numbers
            return (0..<shard.count).compactMap { e in flags[e] != 0 ? shard.peerGroups[e] : nil }
        }
    }

    /// Adds one shard's `peerMatches` to the totals (conditions × person groups).
    public static func add(_ matches: [[Int32]], to totals: inout [[Int32]]) {
        for (c, groups) in matches.enumerated() {
            for g in groups { totals[c][Int(g)] += 1 }
        }
    }
}

/// The state of one shard's evaluation: the data and the memo tables.
struct ShardRun {
    let shard: ShardData
    let asOf: Double
    let sortRank: [Int32]
    var aggregates: [AggregatePlan: Column] = [:]
    var masks: [MaskKey: [Bool]] = [:]
    var peers: PeerTotals = .none
    var peerConditions: [PlanNode] = []

    struct MaskKey: Hashable {
        var source: Int
        var filter: PlanNode?
        var windowDays: Int?
    }

    init(shard: ShardData, asOf: Double, sortRank: [Int32]) {
        self.shard = shard
        self.asOf = asOf
        self.sortRank = sortRank
    }

    func length(_ record: Int?) -> Int { record.map { shard.records[$0].rowCount } ?? shard.count }

    mutating func eval(_ node: PlanNode, record: Int?, tags: [Column?]) -> Column {
        let n = length(record)
        switch node {
        case .number(let d): return .numbers([Double](repeating: d, count: n))
        case .code(let c): return .codes([Int32](repeating: c, count: n))
        case .asOf: return .numbers([Double](repeating: asOf, count: n))
        case .entityField(let i, let categorical):
            return categorical ? .codes(shard.entityCodes[i]) : .numbers(shard.entityNumbers[i])
        case .recordField(let i, let categorical):
            let block = shard.records[record!]
            return categorical ? .codes(block.codes[i]) : .numbers(block.numbers[i])
        case .tag(let i, _): return tags[i]!
        case .negate(let a): return .numbers(eval(a, record: record, tags: tags).numbers.map { -$0 })
        case .not(let a): return .numbers(eval(a, record: record, tags: tags).numbers.map { 1 - $0 })
        case .arithmetic(let op, let a, let b):
            let x = eval(a, record: record, tags: tags).numbers
            let y = eval(b, record: record, tags: tags).numbers
            var out = [Double](repeating: .nan, count: n)
            switch op {
            case .add: for i in 0..<n { out[i] = x[i] + y[i] }
            case .subtract: for i in 0..<n { out[i] = x[i] - y[i] }
            case .multiply: for i in 0..<n { out[i] = x[i] * y[i] }
            case .divide: for i in 0..<n { out[i] = y[i] == 0 ? .nan : x[i] / y[i] }
            default: preconditionFailure("not arithmetic: \(op)")
            }
            return .numbers(out)
        case .compare(let op, let a, let b, let categorical):
            var out = [Double](repeating: 0, count: n)
            if categorical {
                let x = eval(a, record: record, tags: tags).codes
                let y = eval(b, record: record, tags: tags).codes
                for i in 0..<n where x[i] >= 0 && y[i] >= 0 {
                    out[i] = (op == .equal) == (x[i] == y[i]) ? 1 : 0
                }
            } else {
                let x = eval(a, record: record, tags: tags).numbers
                let y = eval(b, record: record, tags: tags).numbers
                for i in 0..<n where !x[i].isNaN && !y[i].isNaN {
                    let r: Bool
                    switch op {
                    case .equal: r = x[i] == y[i]
                    case .notEqual: r = x[i] != y[i]
                    case .less: r = x[i] < y[i]
                    case .lessEqual: r = x[i] <= y[i]
                    case .greater: r = x[i] > y[i]
                    case .greaterEqual: r = x[i] >= y[i]
                    default: preconditionFailure("not a comparison: \(op)")
                    }
                    out[i] = r ? 1 : 0
                }
            }
            return .numbers(out)
        case .logical(let op, let a, let b):
            let x = eval(a, record: record, tags: tags).numbers
            let y = eval(b, record: record, tags: tags).numbers
            var out = [Double](repeating: 0, count: n)
            if op == .and {
                for i in 0..<n { out[i] = (x[i] != 0 && y[i] != 0) ? 1 : 0 }
            } else {
                for i in 0..<n { out[i] = (x[i] != 0 || y[i] != 0) ? 1 : 0 }
            }
            return .numbers(out)
        case .inNumbers(let a, let set, let negated):
            let x = eval(a, record: record, tags: tags).numbers
            return .numbers(x.map { v in v.isNaN ? 0 : (set.contains(v) != negated ? 1 : 0) })
        case .inCodes(let a, let set, let negated):
            let x = eval(a, record: record, tags: tags).codes
            return .numbers(x.map { v in v < 0 ? 0 : (set.contains(v) != negated ? 1 : 0) })
        case .isNull(let a, let negated, _):
            switch eval(a, record: record, tags: tags) {
            case .numbers(let x): return .numbers(x.map { $0.isNaN != negated ? 1 : 0 })
            case .codes(let x): return .numbers(x.map { ($0 < 0) != negated ? 1 : 0 })
            }
        case .function(let fn, let args):
            let cols = args.map { eval($0, record: record, tags: tags).numbers }
            return .numbers(applyFunction(fn, cols, n))
        case .band(let a, let edges, let labels):
            let x = eval(a, record: record, tags: tags).numbers
            return .codes(
                x.map { v in
                    if v.isNaN { return -1 }
                    var i = 0
                    while i < edges.count && v >= edges[i] { i += 1 }
                    return labels[i]
                })
        case .ifThen(let c, let a, let b, let categorical):
            let cond = eval(c, record: record, tags: tags).numbers
            if categorical {
                let x = eval(a, record: record, tags: tags).codes
                let y = eval(b, record: record, tags: tags).codes
                return .codes((0..<n).map { cond[$0] != 0 ? x[$0] : y[$0] })
            }
            let x = eval(a, record: record, tags: tags).numbers
            let y = eval(b, record: record, tags: tags).numbers
            return .numbers((0..<n).map { cond[$0] != 0 ? x[$0] : y[$0] })
        case .coalesce(let a, let b, let categorical):
            if categorical {
                let x = eval(a, record: record, tags: tags).codes
                let y = eval(b, record: record, tags: tags).codes
                return .codes((0..<n).map { x[$0] >= 0 ? x[$0] : y[$0] })
            }
            let x = eval(a, record: record, tags: tags).numbers
            let y = eval(b, record: record, tags: tags).numbers
            return .numbers((0..<n).map { x[$0].isNaN ? y[$0] : x[$0] })
        case .mapCodes(let a, let table):
            let x = eval(a, record: record, tags: tags).codes
            return .codes(x.map { c in c >= 0 && Int(c) < table.count ? table[Int(c)] : -1 })
        case .peerCount(let c):
            guard case .totals(let totals) = peers, let k = peerConditions.firstIndex(of: c) else {
                preconditionFailure("peers_count evaluated without the first pass's totals")
            }
            let own = eval(c, record: record, tags: tags).numbers
            return .numbers((0..<n).map { e in Double(totals[k][Int(shard.peerGroups[e])]) - own[e] })
        case .aggregate(let plan):
            if let cached = aggregates[plan] { return cached }
            let column = aggregate(plan, tags: tags)
            aggregates[plan] = column
            return column
        }
    }

    func applyFunction(_ fn: ScalarFunction, _ c: [[Double]], _ n: Int) -> [Double] {
        switch fn {
        case .abs: return c[0].map { Swift.abs($0) }
        case .floor: return c[0].map { $0.rounded(.down) }
        case .round: return c[0].map { $0.rounded(.toNearestOrAwayFromZero) }
        case .min: return (0..<n).map { c[0][$0].isNaN || c[1][$0].isNaN ? .nan : Swift.min(c[0][$0], c[1][$0]) }
        case .max: return (0..<n).map { c[0][$0].isNaN || c[1][$0].isNaN ? .nan : Swift.max(c[0][$0], c[1][$0]) }
        case .ratio:
            return (0..<n).map { i in
                let whole = c[1][i]
                // An empty whole is an unknown, not a zero: the ratio is empty too (docs/tag-language.md).
                return whole.isNaN ? .nan : whole == 0 ? c[2][i] : c[0][i] / whole
            }
        case .year: return c[0].map { $0.isNaN ? .nan : Double(Day(Int32($0)).year) }
        case .month: return c[0].map { $0.isNaN ? .nan : Double(Day(Int32($0)).civil.month) }
        case .date:
            return (0..<n).map { i in
                let (y, m, d) = (c[0][i], c[1][i], c[2][i])
                guard !y.isNaN, !m.isNaN, !d.isNaN, Swift.abs(y) < 10000,
                    let day = Day(year: Int(y), month: Int(m), day: Int(d))
                else { return .nan }
                return Double(day.value)
            }
        }
    }

    /// Which records of a source pass the filter and the window.
    ///
    /// The filter's mask and the window's mask are memoised apart, so a family that asks the same
    /// question over 1, 2 and 3 years evaluates its filter expression once.
    mutating func mask(_ plan: AggregatePlan, tags: [Column?]) -> [Bool] {
        let key = MaskKey(source: plan.source, filter: plan.filter, windowDays: plan.windowDays)
        if let cached = masks[key] { return cached }
        let block = shard.records[plan.source]
        var m: [Bool]
        if let f = plan.filter {
            let filterKey = MaskKey(source: plan.source, filter: f, windowDays: nil)
            if let cached = masks[filterKey] {
                m = cached
            } else {
                let values = eval(f, record: plan.source, tags: tags).numbers
                m = values.map { $0 != 0 }
                masks[filterKey] = m
            }
        } else {
            m = [Bool](repeating: true, count: block.rowCount)
        }
        if let w = plan.windowDays {
            let dates = block.numbers[plan.eventField]
            let start = asOf - Double(w)
            m.withUnsafeMutableBufferPointer { m in
                dates.withUnsafeBufferPointer { dates in
                    for i in m.indices where m[i] { m[i] = dates[i] > start }
                }
            }
        }
        masks[key] = m
        return m
    }

    mutating func aggregate(_ plan: AggregatePlan, tags: [Column?]) -> Column {
        let block = shard.records[plan.source]
        let m = mask(plan, tags: tags)
        let n = shard.count
        let off = block.offsets
        let events = block.numbers[plan.eventField]
        switch plan.function {
        case .count, .exists:
            // Records that count: in the mask and, for count(source.field), with a value in the field.
            var counted = m
            if let f = plan.field {
                if !block.codes[f].isEmpty {
                    let c = block.codes[f]
                    for r in counted.indices where counted[r] { counted[r] = c[r] >= 0 }
                } else {
                    let x = block.numbers[f]
                    for r in counted.indices where counted[r] { counted[r] = !x[r].isNaN }
                }
            }
            var out = [Double](repeating: 0, count: n)
            let exists = plan.function == .exists
            counted.withUnsafeBufferPointer { counted in
                off.withUnsafeBufferPointer { off in
                    for e in 0..<n {
                        var k = 0
                        for r in Int(off[e])..<Int(off[e + 1]) where counted[r] { k += 1 }
                        out[e] = exists ? (k > 0 ? 1 : 0) : Double(k)
                    }
                }
            }
            return .numbers(out)
        case .daysSince:
            let dates = plan.field.map { block.numbers[$0] } ?? events
            var out = [Double](repeating: .nan, count: n)
            for e in 0..<n {
                var best = -Double.infinity
                for r in Int(off[e])..<Int(off[e + 1]) where m[r] && !dates[r].isNaN { best = Swift.max(best, dates[r]) }
                if best > -Double.infinity { out[e] = asOf - best }
            }
            return .numbers(out)
        case .sum, .avg, .min, .max:
            let x = block.numbers[plan.field!]
            var out = [Double](repeating: plan.function == .sum ? 0 : .nan, count: n)
            for e in 0..<n {
                var acc = 0.0
                var k = 0
                var lo = Double.infinity
                var hi = -Double.infinity
                for r in Int(off[e])..<Int(off[e + 1]) where m[r] && !x[r].isNaN {
                    acc += x[r]
                    k += 1
                    lo = Swift.min(lo, x[r])
                    hi = Swift.max(hi, x[r])
                }
                guard k > 0 else { continue }
                switch plan.function {
                case .sum: out[e] = acc
                case .avg: out[e] = acc / Double(k)
                case .min: out[e] = lo
                default: out[e] = hi
                }
            }
            return .numbers(out)
        case .latest, .earliest:
            let latest = plan.function == .latest
            if plan.resultIsCategorical {
                let x = block.codes[plan.field!]
                var out = [Int32](repeating: -1, count: n)
                for e in 0..<n {
                    var bestDate = Double.nan
                    var best: Int32 = -1
                    for r in Int(off[e])..<Int(off[e + 1]) where m[r] && !events[r].isNaN {
                        // The latest (earliest) record decides, even when its field is empty; on one date a
                        // value beats an empty field and the larger value wins.
                        let better =
                            bestDate.isNaN || (latest ? events[r] > bestDate : events[r] < bestDate)
                            || (events[r] == bestDate && x[r] >= 0 && (best < 0 || sortRank[Int(x[r])] > sortRank[Int(best)]))
                        if better {
                            best = x[r]
                            bestDate = events[r]
                        }
                    }
                    out[e] = best
                }
                return .codes(out)
            }
            let x = block.numbers[plan.field!]
            var out = [Double](repeating: .nan, count: n)
            for e in 0..<n {
                var bestDate = Double.nan
                var best = Double.nan
                for r in Int(off[e])..<Int(off[e + 1]) where m[r] && !events[r].isNaN {
                    let better =
                        bestDate.isNaN || (latest ? events[r] > bestDate : events[r] < bestDate)
                        || (events[r] == bestDate && !x[r].isNaN && (best.isNaN || x[r] > best))
                    if better {
                        best = x[r]
                        bestDate = events[r]
                    }
                }
                out[e] = best
            }
            return .numbers(out)
        case .distinct:
            var out = [Double](repeating: 0, count: n)
            var seenCodes: [Int32] = []
            var seenNumbers: [Double] = []
            let field = plan.field!
            let categorical = !block.codes[field].isEmpty
            for e in 0..<n {
                seenCodes.removeAll(keepingCapacity: true)
                seenNumbers.removeAll(keepingCapacity: true)
                for r in Int(off[e])..<Int(off[e + 1]) where m[r] {
                    if categorical {
                        let c = block.codes[field][r]
                        if c >= 0 && !seenCodes.contains(c) { seenCodes.append(c) }
                    } else {
                        let v = block.numbers[field][r]
                        if !v.isNaN && !seenNumbers.contains(v) { seenNumbers.append(v) }
                    }
                }
                out[e] = Double(categorical ? seenCodes.count : seenNumbers.count)
            }
            return .numbers(out)
        }
    }
}

/// Per-person totals of the catalog's `peers_count` conditions, from the first pass over all shards.
public enum PeerTotals: Sendable {
    case none
    /// By condition, then by person group: how many of that person's enterprises satisfy it.
    case totals([[Int32]])
}
