import DigiTagBase
/// Why a drawn enterprise is replaced.
public enum ReplacementReason: String, Sendable, CaseIterable, Codable {
    /// Deregistered (注销) since the run the draw was made from.
    case deregistered
    /// Business licence revoked (吊销).
    case revoked
    /// Cannot be reached at its registered address (通过登记的住所无法联系).
    case unreachable
    /// Drawn although it is outside the task's scope (e.g. the run's data was stale); `--note` says how.
    case outOfScope = "out_of_scope"
    /// Anything else; `--note` must say what.
    case other

    /// Whether a note is required.
    public var needsNote: Bool { self == .outOfScope || self == .other }
}

/// A request to replace a drawn enterprise: `digitag sample replace DIR --uscc X --reason R [--note TEXT]`.
public struct ReplacementRequest: Sendable, Hashable, Codable {
    public var uscc: String
    public var reason: ReplacementReason
    public var note: String

    public init(uscc: String, reason: ReplacementReason, note: String = "") {
        self.uscc = uscc
        self.reason = reason
        self.note = note
    }
}

/// A replacement made: who left, who took the place, and where in the stratum's order.
public struct ReplacementRecord: Sendable, Hashable {
    public var request: ReplacementRequest
    /// The replacement, with its stratum and rank (its place in the stratum's order, after everyone drawn).
    public var selection: Selection
}

/// Why a replacement cannot be made.
public struct ReplacementError: DigitagError, Sendable {
    public var message: String
    /// True when the request itself is wrong (the enterprise was not drawn, already replaced), false when the
    /// task's rules leave nobody to take the place.
    public var isBadRequest: Bool
    public var exitStatus: ExitStatus { isBadRequest ? .badInput : .assignmentImpossible }
    public var report: [String] { ["digitag: cannot replace: \(message)"] }

    public var description: String { message }
}

/// Replacements: the next ticket in the same group and stratum takes a dropped enterprise's place.
///
/// A stratum's order is the draw's own: lowest ticket first for a fixed-size group, lowest `u ÷ π` for a
/// weighted one (`Draw.rankKey`). The draw took the first enterprises of that order (fixed size) or those
/// below 1 (weighted); a replacement takes the first one after them that has not been drawn or used yet. So
/// anyone with the seed can recompute every replacement, and the k-th replacement of a stratum is always the
/// same enterprise whatever the order the requests came in for other strata.
public enum Replacements {
    /// Applies `requests` in order to a draw.
    ///
    /// - Returns: one record per request, in order.
    /// - Throws: `ReplacementError` for an enterprise that is not currently drawn, or a stratum with nobody left.
    public static func apply(
        _ requests: [ReplacementRequest], to result: Draw.Result, task: SamplingTask, seed: String, candidates: [Candidate]
    ) throws(ReplacementError) -> [ReplacementRecord] {
        var current: [String: Selection] = [:]
        for s in result.selections { current[s.candidate.uscc] = s }
        var used = Set(result.selections.map(\.candidate.uscc))
        var replaced = Set<String>()
        var orders: [Int: [(index: Int, ticket: Ticket, probability: Double)]] = [:]
        var records: [ReplacementRecord] = []
        let stratumOf = Dictionary(uniqueKeysWithValues: result.strata.enumerated().map { ($1.key, $0) })
        for request in requests {
            guard let leaving = current[request.uscc] else {
                let why =
                    replaced.contains(request.uscc)
                    ? "\(request.uscc) was already replaced" : "\(request.uscc) is not drawn in task \(task.id)"
                throw ReplacementError(message: why, isBadRequest: true)
            }
            guard let si = stratumOf[leaving.stratum] else {
                throw ReplacementError(message: "stratum \(leaving.stratum) of \(request.uscc) is not in the draw", isBadRequest: true)
            }
            if orders[si] == nil { orders[si] = order(ofStratum: si, result: result, task: task, seed: seed, candidates: candidates) }
            let stratumOrder = orders[si]!
            guard let next = stratumOrder.firstIndex(where: { !used.contains(candidates[$0.index].uscc) }) else {
                throw ReplacementError(
                    message:
                        "no enterprise is left in stratum \(leaving.stratum) to replace \(request.uscc): all "
                        + "\(stratumOrder.count) of its enterprises are drawn or used as replacements already",
                    isBadRequest: false)
            }
            let e = stratumOrder[next]
            let selection = Selection(
                candidate: candidates[e.index], stratum: leaving.stratum, ticket: e.ticket, rank: next + 1, probability: e.probability)
            records.append(ReplacementRecord(request: request, selection: selection))
            current[request.uscc] = nil
            replaced.insert(request.uscc)
            current[selection.candidate.uscc] = selection
            used.insert(selection.candidate.uscc)
        }
        return records
    }

    /// Every enterprise of stratum `si` in the draw's order for it.
    ///
    /// - Complexity: O(n) over the ledger, plus O(k log k) for the stratum's k enterprises.
    static func order(
        ofStratum si: Int, result: Draw.Result, task: SamplingTask, seed: String, candidates: [Candidate]
    ) -> [(index: Int, ticket: Ticket, probability: Double)] {
        let weighted = result.strata[si].scale != nil
        var members = result.ledger.filter { $0.stratum == si }.map { e in
            (index: e.index, ticket: Ticket(seed: seed, task: task.id, uscc: candidates[e.index].uscc), probability: e.probability)
        }
        members.sort { a, b in
            if weighted {
                let ka = Draw.rankKey(a.ticket, a.probability)
                let kb = Draw.rankKey(b.ticket, b.probability)
                if ka != kb { return ka < kb }
            }
            return a.ticket != b.ticket ? a.ticket < b.ticket : candidates[a.index].uscc < candidates[b.index].uscc
        }
        return members
    }
}
