/// Finds the records of one source, in one shard, whose natural key repeats an earlier record's key for
/// the same enterprise.
///
/// Runs on the raw spill rows while a shard is loaded: an enterprise's records are all in its shard, so
/// no other pass and no set of every key in the province is needed. Each enterprise's records go through
/// a small open-addressing table keyed by a hash of the key fields; equal hashes are confirmed by
/// comparing the fields' stored bytes. The table is allocated once per shard and cleared slot by slot.
///
/// - Complexity: O(rows × key fields); allocates per shard, never per row or per enterprise.
struct DuplicateFinder {
    private let slots: [(offset: Int, width: Int)]
    private let stride: Int

    init(layout: RecordLayout) {
        stride = layout.rowBytes
        slots = layout.keyFields.map { f in
            if let k = layout.numberFields.firstIndex(of: f) { return (layout.numberOffset(k), 8) }
            if let k = layout.codeFields.firstIndex(of: f) { return (layout.codeOffset(k), 4) }
            return (layout.hashOffset(layout.hashFields.firstIndex(of: f)!), 8)
        }
    }

    /// The raw rows to drop (ascending) and what to report.
    ///
    /// - Parameters:
    ///   - offsets: enterprise `e`'s rows are grouped positions `offsets[e]..<offsets[e+1]`, in input order.
    ///   - rowAt: grouped position → raw row index.
    ///   - keys: each enterprise's USCC, for the examples.
    func find(base: UnsafeRawPointer, offsets: [Int32], rowAt: [Int32], keys: [UInt128]) -> (drop: [Int], report: DuplicateRecords) {
        var widest = 0
        for e in 0..<(offsets.count - 1) { widest = max(widest, Int(offsets[e + 1] - offsets[e])) }
        guard widest > 1 else { return ([], DuplicateRecords()) }
        var capacity = 4
        while capacity < 2 * widest { capacity <<= 1 }
        var table = [Int32](repeating: -1, count: capacity)
        var hashes = [UInt64](repeating: 0, count: capacity)
        var drop: [Int] = []
        var report = DuplicateRecords()
        for e in 0..<(offsets.count - 1) {
            let lo = Int(offsets[e])
            let hi = Int(offsets[e + 1])
            guard hi - lo > 1 else { continue }
            var size = 4
            while size < 2 * (hi - lo) { size <<= 1 }
            let mask = size - 1
            for p in lo..<hi {
                let row = base + Int(rowAt[p]) * stride
                let h = hash(row)
                var i = Int(truncatingIfNeeded: h) & mask
                var duplicate = false
                while table[i] >= 0 {
                    if hashes[i] == h && equal(row, base + Int(rowAt[Int(table[i])]) * stride) {
                        duplicate = true
                        break
                    }
                    i = (i + 1) & mask
                }
                if duplicate {
                    drop.append(Int(rowAt[p]))
                    report.count += 1
                    if report.examples.count < DuplicateRecords.maxExamples {
                        report.examples.append(DuplicateRecords.Example(uscc: keys[e], values: values(row)))
                    }
                } else {
                    table[i] = Int32(p)
                    hashes[i] = h
                }
            }
            for i in 0..<size { table[i] = -1 }
        }
        drop.sort()
        return (drop, report)
    }

    @inline(__always)
    private func hash(_ row: UnsafeRawPointer) -> UInt64 {
        var h = KeyHash.seed
        for s in slots { h = KeyHash.combine(h, load(row, s)) }
        return h
    }

    @inline(__always)
    private func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer) -> Bool {
        for s in slots where load(a, s) != load(b, s) { return false }
        return true
    }

    @inline(__always)
    private func load(_ row: UnsafeRawPointer, _ s: (offset: Int, width: Int)) -> UInt64 {
        s.width == 8
            ? row.loadUnaligned(fromByteOffset: s.offset, as: UInt64.self)
            : UInt64(row.loadUnaligned(fromByteOffset: s.offset, as: UInt32.self))
    }

    private func values(_ row: UnsafeRawPointer) -> [UInt64] { slots.map { load(row, $0) } }
}
