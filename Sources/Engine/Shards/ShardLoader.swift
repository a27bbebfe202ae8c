import DigiTagIO

extension IngestResult {
    /// Everything the evaluator needs for shard `k`: registration columns from memory, records read
    /// back from the spill files and grouped by enterprise (stable: an enterprise's records keep their
    /// input order). Records that repeat an earlier record's natural key are left out and reported in
    /// `ShardData.duplicates`.
    ///
    /// - Parameter sources: only these record sources are read (the others come back empty), for passes
    ///   that need a few sources only; nil reads all.
    /// - Parameter evidence: also read each kept record's origin and texts from the spill's side frames
    ///   (`ShardData.evidence`), for the run's evidence archive.
    public func shard(_ k: Int, sources wanted: Set<Int>? = nil, evidence: Bool = false) throws -> ShardData {
        let range = plan.range(k)
        let rows = index.rowOfOrdinal[range].map(Int.init)
        let entity = registration
        let keys = rows.map { entity.keys[$0] }
        let entityNumbers = entity.numbers.map { col in col.isEmpty ? [] : rows.map { col[$0] } }
        let entityCodes = entity.codes.map { col in col.isEmpty ? [] : rows.map { col[$0] } }
        let codec = try ZstdBlockCodec()
        var blocks: [RecordBlock] = []
        var duplicates: [DuplicateRecords] = []
        var origins: [RecordOrigins] = []
        for s in spill.layouts.indices {
            guard s != entitySource, wanted?.contains(s) ?? true else {
                blocks.append(.empty(enterprises: range.count, fieldCount: spill.layouts[s]?.fieldCount ?? 0))
                duplicates.append(DuplicateRecords())
                if evidence { origins.append(RecordOrigins()) }
                continue
            }
            let (block, found, destination) = try recordBlock(source: s, shard: k, range: range, keys: keys, codec: codec)
            blocks.append(block)
            duplicates.append(found)
            if evidence {
                origins.append(try spill.readOrigins(source: s, shard: k, destination: destination, kept: block.rowCount, codec: codec))
            }
        }
        let peers = index.peerGroupOfRow.isEmpty ? [] : rows.map { index.peerGroupOfRow[$0] }
        var data = ShardData(
            ordinals: range, keys: keys, entityNumbers: entityNumbers, entityCodes: entityCodes, records: blocks, peerGroups: peers,
            duplicates: duplicates)
        data.origins = origins
        return data
    }

    /// Decodes a shard's rows of one source into columns grouped by enterprise (a counting sort), without
    /// the records that repeat an earlier record's natural key (`DuplicateFinder`), which it reports.
    /// - Returns: also each raw row's grouped position (-1: dropped as a duplicate).
    private func recordBlock(source s: Int, shard k: Int, range: Range<Int>, keys: [UInt128], codec: ZstdBlockCodec) throws
        -> (RecordBlock, DuplicateRecords, [Int])
    {
        let layout = spill.layouts[s]!
        let (count, raw) = try spill.readRows(source: s, shard: k, codec: codec)
        defer { raw.deallocate() }
        let base = raw.baseAddress!
        let stride = layout.rowBytes
        let first = range.lowerBound
        @inline(__always) func enterprise(_ r: Int) -> Int {
            Int(base.loadUnaligned(fromByteOffset: r * stride, as: Int32.self)) - first
        }
        var offsets = [Int32](repeating: 0, count: range.count + 1)
        for r in 0..<count { offsets[enterprise(r) + 1] += 1 }
        for e in 0..<range.count { offsets[e + 1] += offsets[e] }
        // Destination of each row: its enterprise's next free slot (-1: dropped as a duplicate).
        var destination = [Int](repeating: 0, count: count)
        var cursor = offsets
        for r in 0..<count {
            let o = enterprise(r)
            destination[r] = Int(cursor[o])
            cursor[o] += 1
        }
        var duplicates = DuplicateRecords()
        var kept = count
        if layout.hasKey && count > 1 {
            var rowAt = [Int32](repeating: 0, count: count)
            for r in 0..<count { rowAt[destination[r]] = Int32(r) }
            let found = DuplicateFinder(layout: layout).find(base: UnsafeRawPointer(base), offsets: offsets, rowAt: rowAt, keys: keys)
            duplicates = found.report
            if !found.drop.isEmpty {
                // Group again without the dropped rows; the others keep their order.
                kept = count - found.drop.count
                offsets = [Int32](repeating: 0, count: range.count + 1)
                var next = 0
                for r in 0..<count {
                    if next < found.drop.count && found.drop[next] == r {
                        next += 1
                        destination[r] = -1
                    } else {
                        offsets[enterprise(r) + 1] += 1
                    }
                }
                for e in 0..<range.count { offsets[e + 1] += offsets[e] }
                cursor = offsets
                for r in 0..<count where destination[r] >= 0 {
                    let o = enterprise(r)
                    destination[r] = Int(cursor[o])
                    cursor[o] += 1
                }
            }
        }
        var numbers = [[Double]](repeating: [], count: layout.fieldCount)
        for (j, f) in layout.numberFields.enumerated() {
            let at = layout.numberOffset(j)
            numbers[f] = [Double](unsafeUninitializedCapacity: kept) { column, initialized in
                for r in 0..<count where destination[r] >= 0 {
                    column[destination[r]] = base.loadUnaligned(fromByteOffset: r * stride + at, as: Double.self)
                }
                initialized = kept
            }
        }
        var codes = [[Int32]](repeating: [], count: layout.fieldCount)
        for (j, f) in layout.codeFields.enumerated() {
            let at = layout.codeOffset(j)
            codes[f] = [Int32](unsafeUninitializedCapacity: kept) { column, initialized in
                for r in 0..<count where destination[r] >= 0 {
                    column[destination[r]] = base.loadUnaligned(fromByteOffset: r * stride + at, as: Int32.self)
                }
                initialized = kept
            }
        }
        return (RecordBlock(offsets: offsets, numbers: numbers, codes: codes), duplicates, destination)
    }
}
