import Foundation

/// One bin of a candidate tag: a value range of a numeric tag, or one value of a categorical tag.
public struct WoEBin: Sendable, Codable, Equatable {
    /// `[min, below)`; `below` is +∞ for the last bin. For a categorical bin, the value.
    public var min: Double
    public var below: Double
    public var value: String?
    /// For the pooled categorical bin ("other"): the values pooled in it.
    public var members: [String] = []
    public var positives: Int
    public var negatives: Int
    /// The bin of missing values (NaN) of a numeric tag.
    public var missing = false
    /// ln(share of positives / share of negatives): above 0 where problems are likelier than overall.
    public var woe: Double

    public var count: Int { positives + negatives }
}

/// Weight of evidence and information value over monotone bins (the optbinning/toad discipline).
///
/// WoE of a bin = ln((p_bin/P) / (n_bin/N)), p and n its positives and negatives, P and N the totals; a bin
/// without positives or negatives gets 0.5 added to both counts so its WoE stays finite.
/// IV = Σ (p_bin/P − n_bin/N) · WoE: under 0.02 useless, 0.02–0.1 weak, 0.1–0.3 medium, above 0.3 strong.
/// Missing values (NaN: an event that never happened, a value not known) form a bin of their own, the last,
/// with `missing` set: they count in the IV like any other bin, and small bins are judged against all units,
/// so that a tag known for a handful of enterprises cannot look strong on them alone.
public struct WoEBinning: Sendable, Codable, Equatable {
    public var bins: [WoEBin]
    public var informationValue: Double

    public static func woe(positives: Double, negatives: Double, totalPositives: Double, totalNegatives: Double) -> Double {
        var p = positives
        var n = negatives
        if p == 0 || n == 0 {
            p += 0.5
            n += 0.5
        }
        return log((p / totalPositives) / (n / totalNegatives))
    }

    /// Computes WoE and IV for bins whose counts are set.
    public static func finish(_ raw: [WoEBin]) -> WoEBinning {
        let tp = Double(raw.reduce(0) { $0 + $1.positives })
        let tn = Double(raw.reduce(0) { $0 + $1.negatives })
        guard tp > 0, tn > 0 else { return WoEBinning(bins: raw.map { var b = $0; b.woe = 0; return b }, informationValue: 0) }
        var iv = 0.0
        let bins = raw.map { b -> WoEBin in
            var b = b
            b.woe = woe(positives: Double(b.positives), negatives: Double(b.negatives), totalPositives: tp, totalNegatives: tn)
            iv += (Double(b.positives) / tp - Double(b.negatives) / tn) * b.woe
            return b
        }
        return WoEBinning(bins: bins, informationValue: iv)
    }

    /// Monotone bins of a numeric (or boolean) tag.
    ///
    /// Starts from one bin per distinct value (or per 5% quantile when there are more than 20), merges bins
    /// under `minShare` of the non-missing units into their neighbour, then merges adjacent bins until the
    /// problem rate moves one way only (the way the correlation of value and outcome points).
    public static func numeric(values: [Double], outcomes: [Bool], minShare: Double = 0.05) -> WoEBinning {
        var pairs: [(Double, Bool)] = []
        pairs.reserveCapacity(values.count)
        var missingBin = WoEBin(min: .nan, below: .nan, value: nil, positives: 0, negatives: 0, missing: true, woe: 0)
        for (v, y) in zip(values, outcomes) {
            if !v.isNaN {
                pairs.append((v, y))
            } else if y {
                missingBin.positives += 1
            } else {
                missingBin.negatives += 1
            }
        }
        pairs.sort { $0.0 < $1.0 }
        guard let first = pairs.first else { return finish(missingBin.count > 0 ? [missingBin] : []) }
        var distinct: [Double] = []
        for (v, _) in pairs where v != distinct.last { distinct.append(v) }
        var edges: [Double] = [first.0]
        if distinct.count <= 20 {
            edges = distinct
        } else {
            let sortedValues = pairs.map(\.0)
            for k in 1..<20 {
                let q = Quantile.sorted(sortedValues, Double(k) / 20)
                if q > edges.last! { edges.append(q) }
            }
        }
        // Raw bins [edges[i], edges[i+1]).
        var bins: [WoEBin] = edges.indices.map { i in
            WoEBin(min: edges[i], below: i + 1 < edges.count ? edges[i + 1] : .infinity, value: nil, positives: 0, negatives: 0, woe: 0)
        }
        var b = 0
        for (v, y) in pairs {
            while b + 1 < bins.count && v >= bins[b].below { b += 1 }
            if y { bins[b].positives += 1 } else { bins[b].negatives += 1 }
        }
        let minCount = Swift.max(1, Int((minShare * Double(values.count)).rounded(.up)))
        // Small bins into a neighbour (the smaller one).
        while bins.count > 1, let i = bins.indices.min(by: { bins[$0].count < bins[$1].count }), bins[i].count < minCount {
            let j: Int
            if i == 0 { j = 1 } else if i == bins.count - 1 { j = i - 1 } else { j = bins[i - 1].count <= bins[i + 1].count ? i - 1 : i + 1 }
            bins = merged(bins, Swift.min(i, j))
        }
        let increasing = !(Correlation.pearson(pairs.map(\.0), pairs.map { $0.1 ? 1 : 0 }) < 0)
        func rate(_ x: WoEBin) -> Double { Double(x.positives) / Double(Swift.max(1, x.count)) }
        var changed = true
        while changed && bins.count > 1 {
            changed = false
            for i in 0..<(bins.count - 1) {
                let violates = increasing ? rate(bins[i]) > rate(bins[i + 1]) : rate(bins[i]) < rate(bins[i + 1])
                if violates {
                    bins = merged(bins, i)
                    changed = true
                    break
                }
            }
        }
        bins[0].min = first.0
        if missingBin.count > 0 { bins.append(missingBin) }
        return finish(bins)
    }

    /// Bins of a categorical tag: one per value, values under `minShare` of all units pooled into one bin
    /// "other", missing values (nil) in a bin of their own, the last.
    public static func categorical(values: [String?], outcomes: [Bool], minShare: Double = 0.05) -> WoEBinning {
        var counts: [String: (Int, Int)] = [:]
        var missingBin = WoEBin(min: .nan, below: .nan, value: nil, positives: 0, negatives: 0, missing: true, woe: 0)
        let total = values.count
        for (v, y) in zip(values, outcomes) {
            guard let v else {
                if y { missingBin.positives += 1 } else { missingBin.negatives += 1 }
                continue
            }
            var c = counts[v] ?? (0, 0)
            if y { c.0 += 1 } else { c.1 += 1 }
            counts[v] = c
        }
        let minCount = Int((minShare * Double(total)).rounded(.up))
        var bins: [WoEBin] = []
        var other = WoEBin(min: 0, below: 0, value: nil, positives: 0, negatives: 0, woe: 0)
        for (v, c) in counts.sorted(by: { $0.key < $1.key }) {
            if c.0 + c.1 >= minCount {
                bins.append(WoEBin(min: 0, below: 0, value: v, positives: c.0, negatives: c.1, woe: 0))
            } else {
                other.members.append(v)
                other.positives += c.0
                other.negatives += c.1
            }
        }
        if other.count > 0 { bins.append(other) }
        if missingBin.count > 0 { bins.append(missingBin) }
        return finish(bins)
    }

    static func merged(_ bins: [WoEBin], _ i: Int) -> [WoEBin] {
        var out = bins
        out[i].below = bins[i + 1].below
        out[i].positives += bins[i + 1].positives
        out[i].negatives += bins[i + 1].negatives
        out.remove(at: i + 1)
        return out
    }

    /// The bin a numeric value falls in (nil for NaN).
    /// The bin a numeric value falls in: the missing bin for NaN (nil when there is none).
    public func binIndex(_ v: Double) -> Int? {
        if v.isNaN { return bins.lastIndex { $0.missing } }
        let count = bins.last?.missing == true ? bins.count - 1 : bins.count
        guard count > 0 else { return nil }
        var i = 0
        while i + 1 < count && v >= bins[i].below { i += 1 }
        return i
    }

    /// The bin of a categorical value: its own, else the pooled "other" bin; a missing value's bin for nil.
    public func binIndex(category: String?) -> Int? {
        guard let category else { return bins.lastIndex { $0.missing } }
        return bins.firstIndex { $0.value == category } ?? bins.firstIndex { $0.value == nil && !$0.missing }
    }
}
