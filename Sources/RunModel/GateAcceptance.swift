import DigiTagBase
import Foundation

/// An operator's decision to publish although a gate failed (`digitag run --accept-gate NAME[:SOURCE] --reason TEXT`).
///
/// Invariant 8 allows a clearly wrong-looking delivery through only "on the record": the acceptance is
/// written next to the gate it accepts in `manifest.json`, shown in `report.html` and in `metrics.prom`, with
/// the reason and who gave it, so nobody later mistakes the run for one that passed.
public struct GateAcceptance: Sendable, Equatable {
    /// A gate name (`QualityGates.names`).
    public var gate: String
    /// One source of that gate; nil accepts the gate whatever the source.
    public var source: String?
    public var reason: String
    /// Who accepted it (the command takes `$USER`); nil when unknown.
    public var by: String?

    /// What a run records on the gate it accepted.
    public struct Record: Sendable, Codable, Equatable {
        public var reason: String
        public var by: String?

        public init(reason: String, by: String?) {
            self.reason = reason
            self.by = by
        }
    }

    public init(gate: String, source: String? = nil, reason: String, by: String? = nil) {
        self.gate = gate
        self.source = source
        self.reason = reason
        self.by = by
    }

    /// `parse`'s answer: the acceptance, or what is wrong with the text.
    public enum Parsed: Sendable, Equatable {
        case accepted(GateAcceptance)
        case problem(String)
    }

    /// Parses `NAME` or `NAME:SOURCE`.
    /// - Returns: the acceptance, or a message saying what is wrong (an unknown gate name is a typo that
    ///   would otherwise accept nothing, silently).
    public static func parse(_ text: String, reason: String, by: String?) -> Parsed {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let gate = parts[0]
        guard QualityGates.names.contains(gate) else {
            let hint = closestMatch(to: gate, in: QualityGates.names).map { " (did you mean '\($0)'?)" } ?? ""
            return .problem(
                "--accept-gate: unknown gate '\(gate)'\(hint); gates are \(QualityGates.names.joined(separator: ", ")), optionally with :SOURCE")
        }
        if parts.count == 2 && parts[1].isEmpty {
            return .problem("--accept-gate \(text): a source after ':' (or no ':' for every source)")
        }
        return .accepted(GateAcceptance(gate: gate, source: parts.count == 2 ? parts[1] : nil, reason: reason, by: by))
    }

    /// `NAME` or `NAME:SOURCE`, as given.
    public var name: String { source.map { "\(gate):\($0)" } ?? gate }

    func matches(_ result: QualityGates.Result) -> Bool {
        result.gate == gate && (source == nil || source == result.source)
    }
}
