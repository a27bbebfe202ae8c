/// Each legal-representative group's enterprises, listed once per run from `store/peers.idx`: a profile's
/// "other enterprises" is then a slice of a list instead of a pass over every enterprise of the province.
///
/// - Complexity: built in two passes over the group numbers (a counting sort); 8 bytes an enterprise.
struct PeerIndex: Sendable {
    /// Each enterprise's group number (-1: none), as in the file.
    let groupOf: [Int32]
    /// Ordinals sorted by group, ascending within a group; group `g` is `members[start[g]..<start[g + 1]]`.
    let members: [Int32]
    let start: [Int32]

    /// nil when the numbers are not the file's dense 0, 1, … (then nothing is listed rather than a wrong list).
    init?(groups: [Int32]) {
        var top: Int32 = -1
        for g in groups {
            guard g < Int32(groups.count) else { return nil }
            top = max(top, g)
        }
        var start = [Int32](repeating: 0, count: Int(top) + 2)
        for g in groups where g >= 0 { start[Int(g) + 1] += 1 }
        for k in 0..<(start.count - 1) { start[k + 1] += start[k] }
        var next = start
        var members = [Int32](repeating: 0, count: Int(start.last!))
        for (o, g) in groups.enumerated() where g >= 0 {
            members[Int(next[Int(g)])] = Int32(o)
            next[Int(g)] += 1
        }
        groupOf = groups
        self.members = members
        self.start = start
    }

    /// The enterprises of `ordinal`'s group, itself included, ascending (empty when it has no group).
    func group(of ordinal: Int) -> ArraySlice<Int32> {
        let g = Int(groupOf[ordinal])
        guard g >= 0 else { return [] }
        return members[Int(start[g])..<Int(start[g + 1])]
    }
}
