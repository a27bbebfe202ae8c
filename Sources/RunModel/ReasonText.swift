import DataContract
import DigiTagIO
import Risk

/// An enterprise's reasons as `classes.csv` and the store write them: hard rules that fired, then the largest
/// score contributions, in codes (`rule:abnormal_list(≥C)`, `tax.rating=D(+25)`), in Chinese and in English.
package enum ReasonText {
    /// The three renderings of one enterprise's reasons.
    package typealias Texts = (codes: String, zh: String, en: String)

    package static func text(_ r: RiskResult, model: RiskModel, vocabulary: Vocabulary) -> Texts {
        var codes: [String] = []
        var zh: [String] = []
        var en: [String] = []
        for k in r.firedRules {
            let rule = model.hardRules[k]
            let bound = rule.atLeast.map { "≥" + model.classes[$0].code } ?? rule.atMost.map { "≤" + model.classes[$0].code } ?? ""
            codes.append("rule:\(rule.id)(\(bound))")
            zh.append("\(rule.nameZh)（\(bound)）")
            en.append("\(rule.nameEn) (\(bound))")
        }
        for c in r.contributions.prefix(model.reasonCount) {
            let entry = model.entries[c.entry]
            let value = c.value.flatMap { vocabulary.text($0) }.map { "=" + $0 } ?? ""
            let points = (c.points > 0 ? "+" : "") + ValueFormat.number(c.points)
            codes.append("\(entry.id)\(value)(\(points))")
            zh.append("\(entry.nameZh)\(value)（\(points)）")
            en.append("\(entry.nameEn)\(value) (\(points))")
        }
        return (codes.joined(separator: "; "), zh.joined(separator: "；"), en.joined(separator: "; "))
    }
}
