import DataContract
import DigiTagBase
import Engine
import RunModel

/// One evidence record as a person reads it: its fields' values in schema order (the USCC left out), dates
/// as `YYYY-MM-DD`, codes by their Chinese label where sources.yaml gives one (`labels_zh`), amounts in 元 as
/// `¥50,000`; a flag or an optional field is named (`removed_on=2024-01-05`), an empty one left out.
public enum RecordText {
    public static func text(_ r: EvidenceRecord, schema: SourceSchema, vocabulary: Vocabulary) -> String {
        var parts: [String] = []
        for (i, f) in schema.fields.enumerated() where f.type != .uscc {
            let v: String
            switch f.type.storage {
            case .key: continue
            case .text:
                guard let t = r.texts[i], !t.isEmpty else { continue }
                v = t
            case .code:
                guard let code = vocabulary.text(r.codes[i]) else { continue }
                v = f.labelsZh[code] ?? code
            case .number:
                let x = r.numbers[i]
                guard !x.isNaN else { continue }
                v = number(x, f)
            }
            parts.append(f.optional || f.type == .flag ? "\(f.name)=\(v)" : v)
        }
        return parts.joined(separator: " ")
    }

    static func number(_ x: Double, _ f: FieldSpec) -> String {
        switch f.type {
        case .date: return Day(Int32(x)).description
        case .period: return String(Day(Int32(x)).description.prefix(7))
        case .flag: return x != 0 ? "Y" : "N"
        case .amount where f.unit == "元": return "¥" + grouped(x)
        case .amount: return ValueFormat.number(x) + (f.unit ?? "")
        default: return ValueFormat.number(x)
        }
    }

    /// `50000` → `50,000`; `1234.5` → `1,234.50`.
    static func grouped(_ x: Double) -> String {
        let cents = Int64((x * 100).rounded())
        var whole = String(cents / 100)
        var out = ""
        while whole.count > 3 {
            out = "," + whole.suffix(3) + out
            whole = String(whole.dropLast(3))
        }
        let fraction = cents % 100
        return whole + out + (fraction == 0 ? "" : "." + (fraction < 10 ? "0" : "") + String(fraction))
    }
}
