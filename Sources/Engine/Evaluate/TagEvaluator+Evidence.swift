import Catalog

/// The records one aggregate of a tag read, for one enterprise: what `digitag explain --tag` lists.
public struct AggregateEvidence: Sendable {
    public var plan: AggregatePlan
    /// Records (indices into the enterprise's records of `plan.source`) that entered the aggregate: past its
    /// filter and window and, for aggregates of a field, with a value in that field. For `latest`/`earliest`
    /// and `days_since`: only the record that decided.
    public var records: [Int]
    /// How many records passed the filter and the window, before the choice of `latest`/`earliest`.
    public var matched: Int
}

extension TagEvaluator {
    /// The aggregates of tag `tag`'s own expression (not of the tags it reads), each with the records of the
    /// first enterprise of `shard` that entered it, by the same filter, window and choice the evaluation uses.
    ///
    /// - Parameter tags: every tag's values for the shard (filters may read tags).
    public func evidence(of tag: Int, shard: ShardData, tags: [Column]) -> [AggregateEvidence] {
        var run = ShardRun(shard: shard, asOf: Double(asOf.value), sortRank: catalog.vocabulary.sortRank)
        let known = tags.map { Optional($0) }
        return catalog.tags[tag].plan.aggregates.map { plan in
            let m = run.mask(plan, tags: known)
            return run.entered(plan, mask: m, enterprise: 0)
        }
    }
}

extension ShardRun {
    /// The records of enterprise `e` that `aggregate` reads, given the filter-and-window mask.
    func entered(_ plan: AggregatePlan, mask m: [Bool], enterprise e: Int) -> AggregateEvidence {
        let block = shard.records[plan.source]
        let rows = Int(block.offsets[e])..<Int(block.offsets[e + 1])
        let passed = rows.filter { m[$0] }
        func hasValue(_ r: Int, _ f: Int) -> Bool { block.codes[f].isEmpty ? !block.numbers[f][r].isNaN : block.codes[f][r] >= 0 }
        let records: [Int]
        switch plan.function {
        case .count, .exists, .sum, .avg, .min, .max, .distinct:
            records = plan.field.map { f in passed.filter { hasValue($0, f) } } ?? passed
        case .daysSince:
            let dates = plan.field.map { block.numbers[$0] } ?? block.numbers[plan.eventField]
            var best: Int?
            for r in passed where !dates[r].isNaN && (best == nil || dates[r] > dates[best!]) { best = r }
            records = best.map { [$0] } ?? []
        case .latest, .earliest:
            // The same choice as `aggregate`: by event date, then a value over an empty field, then the larger value.
            let events = block.numbers[plan.eventField]
            let latest = plan.function == .latest
            let f = plan.field!
            var best: Int?
            for r in passed where !events[r].isNaN {
                guard let b = best else {
                    best = r
                    continue
                }
                if latest ? events[r] > events[b] : events[r] < events[b] {
                    best = r
                } else if events[r] == events[b] && hasValue(r, f) {
                    let larger: Bool
                    if plan.resultIsCategorical {
                        let x = block.codes[f]
                        larger = x[b] < 0 || sortRank[Int(x[r])] > sortRank[Int(x[b])]
                    } else {
                        let x = block.numbers[f]
                        larger = x[b].isNaN || x[r] > x[b]
                    }
                    if larger { best = r }
                }
            }
            records = best.map { [$0] } ?? []
        }
        return AggregateEvidence(plan: plan, records: records.map { $0 - rows.lowerBound }, matched: passed.count)
    }
}

extension PlanNode {
    /// Every aggregate in the expression, outermost first, each once.
    public var aggregates: [AggregatePlan] {
        var out: [AggregatePlan] = []
        func walk(_ n: PlanNode) {
            switch n {
            case .aggregate(let a): if !out.contains(a) { out.append(a) }
            case .number, .code, .asOf, .tag, .entityField, .recordField: break
            case .peerCount(let a), .negate(let a), .not(let a), .inNumbers(let a, _, _), .inCodes(let a, _, _), .isNull(let a, _, _),
                .band(let a, _, _), .mapCodes(let a, _):
                walk(a)
            case .arithmetic(_, let a, let b), .compare(_, let a, let b, _), .logical(_, let a, let b), .coalesce(let a, let b, _):
                walk(a)
                walk(b)
            case .ifThen(let c, let a, let b, _):
                walk(c)
                walk(a)
                walk(b)
            case .function(_, let args): args.forEach(walk)
            }
        }
        walk(self)
        return out
    }
}
