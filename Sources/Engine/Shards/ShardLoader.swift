import DigiTagIO

extension IngestResult {
    /// Everything the evaluator needs for shard `k`: registration columns from memory, records read
    /// back from the spill files and grouped by enterprise (stable: an enterprise's records keep their
    /// input order).
    ///
    /// - Parameter sources: only these record sources are read (the others come back empty), for passes
    ///   that need a few sources only; nil reads all.
    public func shard(_ k: Int, sources wanted: Set<Int>? = nil) throws -> ShardData {
        let range = plan.range(k)
        let rows = index.rowOfOrdinal[range].map(Int.init)
        let entity = registration
        let keys = rows.map { entity.keys[$0] }
        let entityNumbers = entity.numbers.map { col in col.isEmpty ? [] : rows.map { col[$0] } }
        let entityCodes = entity.codes.map { col in col.isEmpty ? [] : rows.map { col[$0] } }
        let codec = try ZstdBlockCodec()
        var blocks: [RecordBlock] = []
        for s in spill.layouts.indices {
            guard s != entitySource, wanted?.contains(s) ?? true else {
                blocks.append(.empty(enterprises: range.count, fieldCount: spill.layouts[s]?.fieldCount ?? 0))
                continue
            }
            blocks.append(try recordBlock(source: s, shard: k, range: range, codec: codec))
        }
        let peers = index.peerGroupOfRow.isEmpty ? [] : rows.map { index.peerGroupOfRow[$0] }
        return ShardData(
            ordinals: range, keys: keys, entityNumbers: entityNumbers, entityCodes: entityCodes, records: blocks, peerGroups: peers)
    }

    /// Decodes a shard's rows of one source into columns grouped by enterprise (a counting sort).
    private func recordBlock(source s: Int, shard k: Int, range: Range<Int>, codec: ZstdBlockCodec) throws -> RecordBlock {
        let layout = spill.layouts[s]!
        let (count, raw) = try spill.readRows(source: s, shard: k, codec: codec)
        defer { raw.deallocate() }
        let base = raw.baseAddress!
        let stride = layout.rowBytes
        let first = range.lowerBound
        var offsets = [Int32](repeating: 0, count: range.count + 1)
        for r in 0..<count {
            let o = Int(base.loadUnaligned(fromByteOffset: r * stride, as: Int32.self)) - first
            offsets[o + 1] += 1
        }
        for e in 0..<range.count { offsets[e + 1] += offsets[e] }
        // Destination of each row: its enterprise's next free slot.
        var cursor = offsets
        let destination = [Int](unsafeUninitializedCapacity: count) { d, initialized in
            for r in 0..<count {
                let o = Int(base.loadUnaligned(fromByteOffset: r * stride, as: Int32.self)) - first
                d[r] = Int(cursor[o])
                cursor[o] += 1
            }
            initialized = count
        }
        var numbers = [[Double]](repeating: [], count: layout.fieldCount)
        for (j, f) in layout.numberFields.enumerated() {
            let at = layout.numberOffset(j)
            numbers[f] = [Double](unsafeUninitializedCapacity: count) { column, initialized in
                for r in 0..<count { column[destination[r]] = base.loadUnaligned(fromByteOffset: r * stride + at, as: Double.self) }
                initialized = count
            }
        }
        var codes = [[Int32]](repeating: [], count: layout.fieldCount)
        for (j, f) in layout.codeFields.enumerated() {
            let at = layout.codeOffset(j)
            codes[f] = [Int32](unsafeUninitializedCapacity: count) { column, initialized in
                for r in 0..<count { column[destination[r]] = base.loadUnaligned(fromByteOffset: r * stride + at, as: Int32.self) }
                initialized = count
            }
        }
        return RecordBlock(offsets: offsets, numbers: numbers, codes: codes)
    }
}
