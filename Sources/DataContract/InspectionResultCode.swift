import DigiTagBase
import Foundation

/// A published inspection result (抽查检查结果), one of several an inspection of one item may record.
///
/// The codes are the `result` values of the `market/inspections` source (the data contract, hence here:
/// the generator writes them, sampling imports them); `text` is the wording the
/// enterprise credit publicity system uses, which the public results file shows and the import accepts too.
public enum InspectionResultCode: String, Sendable, CaseIterable, Hashable {
    case noProblem = "no_problem"
    case corrected
    case notPublished = "not_published"
    case notCooperating = "not_cooperating"
    case unreachable
    case activityNotFound = "activity_not_found"
    case referred

    /// The published wording.
    public var text: String {
        switch self {
        case .noProblem: return "未发现问题"
        case .corrected: return "发现问题已责令改正"
        case .notPublished: return "未按规定公示应当公示的信息"
        case .notCooperating: return "不配合检查情节严重"
        case .unreachable: return "通过登记的住所（经营场所）无法联系"
        case .activityNotFound: return "未发现开展本次抽查涉及的经营活动"
        case .referred: return "发现问题已移送相关部门查处"
        }
    }

    /// A result that describes the whole inspection of the item and so cannot be combined with another:
    /// nothing was found, the enterprise was not there, or the activity inspected does not exist.
    public var standsAlone: Bool { self == .noProblem || self == .unreachable || self == .activityNotFound }

    /// The code for `s`: a code (`corrected`) or its published wording (`发现问题已责令改正`).
    public init?(code s: String) {
        if let c = InspectionResultCode(rawValue: s) {
            self = c
            return
        }
        guard let c = InspectionResultCode.allCases.first(where: { $0.text == s }) else { return nil }
        self = c
    }

    /// Parses a multi-valued result: codes or wordings separated by `;` or `；`.
    ///
    /// - Returns: the codes in the order given, or a message saying what is wrong.
    public static func parseList(_ text: String) -> Result<[InspectionResultCode], ResultListError> {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == ";" || $0 == "；" }).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if parts.allSatisfy(\.isEmpty) {
            return .failure(ResultListError(message: "results is empty: give one or more result codes separated by ';'", hint: codeHint))
        }
        if parts.contains(where: \.isEmpty) {
            return .failure(ResultListError(message: "results has an empty entry ('\(text)')", hint: "separate codes by one ';'"))
        }
        var codes: [InspectionResultCode] = []
        for p in parts {
            guard let c = InspectionResultCode(code: p) else {
                let suggestion = closestMatch(to: p, in: allCases.map(\.rawValue)).map { "did you mean '\($0)'? " } ?? ""
                return .failure(ResultListError(message: "unknown result '\(p)'", hint: suggestion + codeHint))
            }
            if codes.contains(c) { return .failure(ResultListError(message: "result '\(c.rawValue)' is given twice", hint: nil)) }
            codes.append(c)
        }
        if codes.count > 1, let alone = codes.first(where: \.standsAlone) {
            return .failure(
                ResultListError(
                    message: "'\(alone.rawValue)' cannot be combined with other results",
                    hint: "no_problem, unreachable and activity_not_found describe the whole inspection of an item"))
        }
        return .success(codes)
    }

    static let codeHint = "codes: " + allCases.map(\.rawValue).joined(separator: ", ")
}

/// Why a multi-valued result field is not valid.
public struct ResultListError: DigitagError, Sendable, Hashable {
    public var message: String
    public var hint: String?
    public var exitStatus: ExitStatus { .badInput }
    public var description: String { message + (hint.map { " (\($0))" } ?? "") }
}
