import DigiTagIO

/// The global order of enterprises (by USCC) and, per source, records grouped by enterprise.
///
/// Ordinals follow USCC order, so outputs written shard after shard are in USCC order whatever the
/// shard count: the determinism invariant holds by construction.
public struct EnterpriseIndex: Sendable {
    /// Registration row of each ordinal.
    public let rowOfOrdinal: [Int32]
    /// Ordinal of each registration row.
    public let ordinalOfRow: [Int32]
    /// Per source: `offsets` by ordinal (count + 1) and the record rows in grouped order.
    public let groupOffsets: [[Int32]]
    public let groupedRows: [[Int32]]
    /// Person group of each registration row (same legal representative, same group); empty if unknown.
    public let peerGroupOfRow: [Int32]
    public let peerGroupCount: Int

    public var count: Int { rowOfOrdinal.count }

    /// - Parameter peerKeyField: the registration text field that links peers (the legal representative).
    public init(tables: [SourceTable], entitySource: Int, peerKeyField: Int? = nil) {
        let entity = tables[entitySource]
        let order = entity.keys.indices.sorted { entity.keys[$0] < entity.keys[$1] }
        rowOfOrdinal = order.map(Int32.init)
        var ordinalOfRow = [Int32](repeating: 0, count: order.count)
        for (o, r) in order.enumerated() { ordinalOfRow[r] = Int32(o) }
        self.ordinalOfRow = ordinalOfRow
        var offsetsPerSource: [[Int32]] = []
        var rowsPerSource: [[Int32]] = []
        for (s, t) in tables.enumerated() {
            guard s != entitySource else {
                offsetsPerSource.append([])
                rowsPerSource.append([])
                continue
            }
            // Counting sort by ordinal, stable: an enterprise's records keep their input order.
            var offsets = [Int32](repeating: 0, count: order.count + 1)
            for r in t.entityRow { offsets[Int(ordinalOfRow[Int(r)]) + 1] += 1 }
            for i in 0..<order.count { offsets[i + 1] += offsets[i] }
            var cursor = offsets
            var rows = [Int32](repeating: 0, count: t.entityRow.count)
            for (row, r) in t.entityRow.enumerated() {
                let o = Int(ordinalOfRow[Int(r)])
                rows[Int(cursor[o])] = Int32(row)
                cursor[o] += 1
            }
            offsetsPerSource.append(offsets)
            rowsPerSource.append(rows)
        }
        groupOffsets = offsetsPerSource
        groupedRows = rowsPerSource
        // Group ids only serve as lookup keys for totals (sums of counts), so their order does not matter.
        var groups: [String: Int32] = [:]
        var groupOfRow: [Int32] = []
        if let f = peerKeyField, !entity.texts[f].isEmpty {
            groupOfRow.reserveCapacity(entity.count)
            for key in entity.texts[f] {
                if let g = groups[key] {
                    groupOfRow.append(g)
                } else {
                    let g = Int32(groups.count)
                    groups[key] = g
                    groupOfRow.append(g)
                }
            }
        }
        peerGroupOfRow = groupOfRow
        peerGroupCount = groups.count
    }

    /// Copies the data of ordinals `range` into a self-contained shard.
    public func shard(_ range: Range<Int>, tables: [SourceTable], entitySource: Int) -> ShardData {
        let entity = tables[entitySource]
        let rows = rowOfOrdinal[range].map(Int.init)
        let keys = rows.map { entity.keys[$0] }
        let entityNumbers = entity.numbers.map { col in col.isEmpty ? [] : rows.map { col[$0] } }
        let entityCodes = entity.codes.map { col in col.isEmpty ? [] : rows.map { col[$0] } }
        let blocks = tables.enumerated().map { s, t in s == entitySource ? RecordBlock.empty : block(s, range, t) }
        let peers = peerGroupOfRow.isEmpty ? [] : rows.map { peerGroupOfRow[$0] }
        return ShardData(
            ordinals: range, keys: keys, entityNumbers: entityNumbers, entityCodes: entityCodes, records: blocks, peerGroups: peers)
    }

    func block(_ s: Int, _ range: Range<Int>, _ t: SourceTable) -> RecordBlock {
        let offsets = groupOffsets[s]
        let lo = Int(offsets[range.lowerBound])
        let hi = Int(offsets[range.upperBound])
        let rows = groupedRows[s][lo..<hi].map(Int.init)
        let local = offsets[range.lowerBound...range.upperBound].map { $0 - Int32(lo) }
        return RecordBlock(
            offsets: Array(local),
            numbers: t.numbers.map { col in col.isEmpty ? [] : rows.map { col[$0] } },
            codes: t.codes.map { col in col.isEmpty ? [] : rows.map { col[$0] } })
    }
}

