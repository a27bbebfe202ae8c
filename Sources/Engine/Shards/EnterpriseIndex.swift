import DigiTagIO

/// The global order of enterprises (by USCC) and their person groups.
///
/// Ordinals follow USCC order, so outputs written shard after shard are in USCC order whatever the
/// shard count: the determinism invariant holds by construction.
public struct EnterpriseIndex: Sendable {
    /// Registration row of each ordinal.
    public let rowOfOrdinal: [Int32]
    /// Person group of each registration row (same legal representative, same group); empty if unknown.
    public let peerGroupOfRow: [Int32]
    public let peerGroupCount: Int

    public var count: Int { rowOfOrdinal.count }

    /// - Parameter peerKeyField: the registration text field that links peers (the legal representative).
    public init(registration entity: SourceTable, peerKeyField: Int? = nil) {
        rowOfOrdinal = entity.keys.indices.sorted { entity.keys[$0] < entity.keys[$1] }.map(Int32.init)
        // Group ids only serve as lookup keys for totals (sums of counts), so their order does not matter.
        var groups: [String: Int32] = [:]
        var groupOfRow: [Int32] = []
        if let f = peerKeyField, entity.texts[f].count == entity.count, entity.count > 0 {
            groupOfRow.reserveCapacity(entity.count)
            for row in 0..<entity.count {
                let key = entity.texts[f].string(row)
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

    /// Enterprise key → ordinal, with enterprises established after the as-of date mapped to -1: the
    /// directory record sources are checked against.
    public func directory(keys: [UInt128], futureKeys: [UInt128]) -> [UInt128: Int32] {
        var directory = [UInt128: Int32](minimumCapacity: keys.count + futureKeys.count)
        for (ordinal, row) in rowOfOrdinal.enumerated() { directory[keys[Int(row)]] = Int32(ordinal) }
        for key in futureKeys { directory[key] = -1 }
        return directory
    }
}
