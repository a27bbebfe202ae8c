import DataContract
import DigiTagBase

/// One field's ingest check as SQL: the problem `RowValidator` reports for the field's text, in the same
/// words, or NULL when the value is valid. The text is the field as read (NULL or '' when empty).
///
/// Each check mirrors the engine's parser (`FieldParser`, `USCC.parse`, the code tables): the same
/// formats, ranges and digits limits, the USCC check character computed with the GB 32100-2015 weights
/// modulo 31, and the reasons spelled as the rejects files spell them.
struct SQLFieldCheck {
    let spec: FieldSpec
    let dialect: SQLDialect

    /// The problem of the field's text `t` (an expression), or NULL.
    func problem(_ t: String) -> String {
        let empty = "coalesce(\(t), '') = ''"
        let whenEmpty = spec.optional ? "" : " THEN \(dialect.string("required field is empty"))"
        let emptyArm = spec.optional ? "WHEN \(empty) THEN NULL" : "WHEN \(empty)\(whenEmpty)"
        return "CASE \(emptyArm) \(arms(t)) END"
    }

    /// The `WHEN … THEN reason` arms for a non-empty text.
    private func arms(_ t: String) -> String {
        switch spec.type {
        case .uscc: return usccArms(t)
        case .text:
            let nul = "instr(\(t), chr(0))"
            return "WHEN \(nul) > 0 THEN \(dialect.string("contains a NUL byte (\\0) at byte ")) || "
                + "CAST(\(dialect.byteLength("substr(\(t), 1, \(nul) - 1)")) + 1 AS STRING) || \(dialect.string(" of the field"))"
        case .enum: return "WHEN \(t) NOT IN (\(spec.values.map(dialect.string).joined(separator: ", "))) THEN \(unknownCode(t))"
        case .region, .industry:
            let what =
                spec.type == .region
                ? "' (expected a county code from regions.csv)" : "' (expected a GB/T 4754 division such as C13)"
            let list = spec.values.isEmpty ? "''" : spec.values.map(dialect.string).joined(separator: ", ")
            return "WHEN \(t) NOT IN (\(list)) THEN \(dialect.string("unknown \(spec.type == .region ? "region" : "industry") code '")) || \(shown(t)) || \(dialect.string(what))"
        default:
            return "WHEN NOT (\(valid(t))) THEN \(dialect.string("expected \(expectation), found '")) || \(shown(t)) || \(dialect.string("'"))"
        }
    }

    /// What a numeric field should hold, as `FieldParser.NumberKind.expectation` says it (DigiTagIO, which
    /// this target does not import): the type's expectation, with the schema's flags.
    private var expectation: String {
        switch spec.type {
        case .date where spec.openEnded: return FieldType.date.expectation + " (or 9999-12-31 for no end, 0001-01-01 for unknown)"
        case .integer where !spec.signed: return "a whole number, 0 or more"
        default: return spec.type.expectation
        }
    }

    /// True when the non-empty text `t` parses as the field's type (`FieldParser.value` is not nil).
    private func valid(_ t: String) -> String {
        let year = "substr(\(t), 1, 4) BETWEEN '1900' AND '2199'"
        let date = "(\(dialect.matches(t, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$")) AND \(year) AND try_cast(\(t) AS DATE) IS NOT NULL)"
        switch spec.type {
        case .date: return spec.openEnded ? "\(date) OR \(t) IN ('9999-12-31', '0001-01-01')" : date
        case .integer: return dialect.matches(t, spec.signed ? "^-?[0-9]{1,15}$" : "^[0-9]{1,15}$")
        case .amount: return dialect.matches(t, "^[0-9]{1,15}([.][0-9]{1,2})?$")
        case .number: return dialect.matches(t, "^-?[0-9]{1,15}([.][0-9]{1,6})?$")
        case .year: return "\(dialect.matches(t, "^[0-9]{4}$")) AND \(year)"
        case .period: return "\(dialect.matches(t, "^[0-9]{4}-[0-9]{2}$")) AND \(year) AND substr(\(t), 6, 2) BETWEEN '01' AND '12'"
        case .flag: return "\(t) IN ('Y', 'y', 'N', 'n')"
        case .uscc, .text, .enum, .region, .industry: return "false"
        }
    }

    /// `USCC.parse`'s three problems, in its order: the length in bytes, the first character outside the
    /// alphabet (its byte position: the characters before it are ASCII), the check character.
    private func usccArms(_ t: String) -> String {
        let alphabet = String(decoding: USCC.alphabet, as: UTF8.self)
        let prefix = "length(regexp_extract(\(t), '^[0-9A-HJ-NP-RTUW-Y]*', 0))"
        let sum = USCC.weights.enumerated().map { i, w in "(instr('\(alphabet)', substr(\(t), \(i + 1), 1)) - 1) * \(w)" }
            .joined(separator: " + ")
        let expected = "substr('\(alphabet)', (31 - (\(sum)) % 31) % 31 + 1, 1)"
        let within = "\(dialect.string(" in '")) || \(shown(t)) || \(dialect.string("'"))"
        return "WHEN \(dialect.byteLength(t)) <> 18 THEN \(dialect.string("a USCC has 18 characters, found ")) || "
            + "CAST(\(dialect.byteLength(t)) AS STRING) || \(within) "
            + "WHEN \(prefix) < 18 THEN \(dialect.string("character ")) || CAST(\(prefix) + 1 AS STRING) || "
            + "\(dialect.string(" is not in the USCC alphabet 0-9 A-H J-N P-R T U W X Y")) || \(within) "
            + "WHEN substr(\(t), 18, 1) <> \(expected) THEN \(dialect.string("check character is '")) || substr(\(t), 18, 1) || "
            + "\(dialect.string("', GB 32100-2015 gives '")) || \(expected) || \(dialect.string("'")) || \(within)"
    }

    /// `unknown code 'x' (expected one of a, b, did you mean 'a'?)`: the suggestion is `closestMatch`'s —
    /// the candidate at the smallest edit distance of the lower-cased texts (ties: the smaller candidate),
    /// offered only when that distance is below the text's length and at most max(2, length / 3).
    private func unknownCode(_ t: String) -> String {
        let candidates = spec.values.sorted()
        let scored = candidates.enumerated().map { r, v in "levenshtein(lower(\(t)), \(dialect.string(v.lowercased()))) * 1000 + \(r)" }
        let best = scored.count == 1 ? scored[0] : "least(\(scored.joined(separator: ", ")))"
        let length = "length(lower(\(t)))"
        let name = "CASE (\(best)) % 1000 " + candidates.enumerated().map { "WHEN \($0.offset) THEN \(dialect.string($0.element))" }.joined(separator: " ") + " END"
        let hint = "CASE WHEN \(best) < \(length) * 1000 AND \(best) < (greatest(2, floor(\(length) / 3)) + 1) * 1000 "
            + "THEN \(dialect.string(", did you mean '")) || \(name) || \(dialect.string("'?")) ELSE '' END"
        return "\(dialect.string("unknown code '")) || \(shown(t)) || \(dialect.string("' (expected one of \(spec.values.joined(separator: ", "))")) || \(hint) || ')'"
    }

    /// A value as a reason shows it: at most 60 characters, then `…`.
    private func shown(_ t: String) -> String {
        "CASE WHEN length(\(t)) > 60 THEN substr(\(t), 1, 60) || \(dialect.string("…")) ELSE \(t) END"
    }
}
