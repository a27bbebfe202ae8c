/// Walks a plan the way the generated query is laid out: what is read per enterprise, separately from
/// what is read per record inside an aggregate's `where`.
enum SQLPlanWalk {
    /// Every node of an expression in pre-order, with aggregates as leaves: an aggregate's filter is read per
    /// record in its source's `GROUP BY`, the rest per enterprise.
    static func nodes(_ root: PlanNode) -> [PlanNode] {
        var out: [PlanNode] = []
        var stack = [root]
        while let node = stack.popLast() {
            out.append(node)
            stack.append(contentsOf: operands(node).reversed())
        }
        return out
    }

    /// A node's operands, not looking inside aggregates.
    static func operands(_ node: PlanNode) -> [PlanNode] {
        switch node {
        case .number, .code, .asOf, .entityField, .recordField, .tag, .aggregate: return []
        case .negate(let a), .not(let a), .inNumbers(let a, _, _), .inCodes(let a, _, _), .isNull(let a, _, _),
            .band(let a, _, _), .mapCodes(let a, _), .peerCount(let a):
            return [a]
        case .arithmetic(_, let a, let b), .compare(_, let a, let b, _), .logical(_, let a, let b), .coalesce(let a, let b, _):
            return [a, b]
        case .ifThen(let c, let a, let b, _): return [c, a, b]
        case .function(_, let args): return args
        }
    }
}
