import Foundation
import DataContract

/// What a person typed in the search box, read as a USCC when it looks like one.
///
/// Codes are copied from scans, Word files and WeChat: spaces around them, lower case, full-width letters
/// and digits (`９１３７…`). These are folded before the check, and a code that still fails gets the check's
/// own verdict, never a guess.
public enum USCCInput {
    public enum Reading: Equatable, Sendable {
        /// A valid code, normalised, and its store key.
        case code(String, UInt128)
        /// Looks like a code (18 letters and digits) but is not one: why.
        case invalid(String, reason: String)
        /// Anything else: a fragment of a name, only trimmed (names keep their full-width brackets and case).
        case name(String)
    }

    /// Trims (also the ideographic space), folds full-width ASCII to ASCII and upper-cases Latin letters.
    public static func normalise(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            var v = s.value
            if v == 0x3000 { v = 0x20 }
            if v >= 0xFF01 && v <= 0xFF5E { v -= 0xFEE0 }
            if v >= 0x61 && v <= 0x7A { v -= 0x20 }
            scalars.append(Unicode.Scalar(v)!)
        }
        return String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func read(_ text: String) -> Reading {
        let folded = normalise(text)
        let looksLikeCode = folded.unicodeScalars.count == 18 && folded.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)) }
        guard looksLikeCode else { return .name(text.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{3000}")))) }
        switch USCC.parse(folded) {
        case .success(let key): return .code(folded, key)
        case .failure(let problem): return .invalid(folded, reason: problem.description)
        }
    }
}
