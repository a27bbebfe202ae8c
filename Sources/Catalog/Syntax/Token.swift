import DigiTagBase
/// A lexical token of the expression language, with its character offset in the expression text.
public struct Token: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case number(Double)
        case string(String)
        /// A dotted name: tag id (`tax.late_filings.1y`), `reg.field`, source, source.field or keyword.
        case name(String)
        /// A time window such as `1y`, `90d`, `6m`.
        case window(String)
        case symbol(String)
        case end
    }

    public var kind: Kind
    public var offset: Int

    public var text: String {
        switch kind {
        // Whole numbers without a decimal point, as written; beyond Int's range (`1` and 20 zeros) Int(d) would trap.
        case .number(let d): return d == d.rounded() && Swift.abs(d) < 1e15 ? String(Int(d)) : String(d)
        case .string(let s): return "'\(s)'"
        case .name(let s), .window(let s), .symbol(let s): return s
        case .end: return "end of expression"
        }
    }
}

/// A problem in an expression, at a character offset; the caller turns it into a file:line:column.
public struct ExpressionError: DigitagError, Sendable {
    public var offset: Int
    public var message: String
    public var hint: String?
    /// Normally turned into a `Diagnostic` or `QueryError` with its place; on its own, a configuration error.
    public var exitStatus: ExitStatus { .configuration }
    public var description: String { "column \(offset + 1): \(message)" + (hint.map { " (\($0))" } ?? "") }

    public init(offset: Int, message: String, hint: String? = nil) {
        self.offset = offset
        self.message = message
        self.hint = hint
    }
}

/// Splits expression text into tokens. Works on Unicode scalars so offsets are columns a person counts.
public enum Lexer {
    public static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        let s = Array(text.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        func isNameStart(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        func isNameChar(_ c: Unicode.Scalar) -> Bool { isNameStart(c) || (c >= "0" && c <= "9") }
        func isDigit(_ c: Unicode.Scalar) -> Bool { c >= "0" && c <= "9" }
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" {
                i += 1
                continue
            }
            let start = i
            if isDigit(c) {
                while i < s.count && (isDigit(s[i]) || s[i] == ".") { i += 1 }
                if i < s.count && isNameStart(s[i]) {
                    // `1y`, `90d`: a window literal.
                    while i < s.count && isNameChar(s[i]) { i += 1 }
                    tokens.append(Token(kind: .window(String(String.UnicodeScalarView(s[start..<i]))), offset: start))
                    continue
                }
                let text = String(String.UnicodeScalarView(s[start..<i]))
                guard let d = Double(text) else { throw ExpressionError(offset: start, message: "'\(text)' is not a number") }
                tokens.append(Token(kind: .number(d), offset: start))
                continue
            }
            if isNameStart(c) {
                while i < s.count {
                    if isNameChar(s[i]) {
                        i += 1
                    } else if s[i] == ".", i + 1 < s.count, isNameChar(s[i + 1]) {
                        i += 1
                    } else {
                        break
                    }
                }
                tokens.append(Token(kind: .name(String(String.UnicodeScalarView(s[start..<i]))), offset: start))
                continue
            }
            if c == "'" || c == "\"" {
                i += 1
                var out = String.UnicodeScalarView()
                while i < s.count && s[i] != c {
                    out.append(s[i])
                    i += 1
                }
                guard i < s.count else {
                    throw ExpressionError(offset: start, message: "text starting here is not closed", hint: "add a closing \(c)")
                }
                i += 1
                tokens.append(Token(kind: .string(String(out)), offset: start))
                continue
            }
            let two = i + 1 < s.count ? String(String.UnicodeScalarView([c, s[i + 1]])) : ""
            if ["==", "!=", "<=", ">="].contains(two) {
                tokens.append(Token(kind: .symbol(two), offset: start))
                i += 2
                continue
            }
            if "()[],+-*/<>".unicodeScalars.contains(c) {
                tokens.append(Token(kind: .symbol(String(c)), offset: start))
                i += 1
                continue
            }
            if c == "=" {
                throw ExpressionError(offset: start, message: "'=' is not an operator", hint: "use '==' to compare")
            }
            throw ExpressionError(offset: start, message: "unexpected character '\(c)'")
        }
        tokens.append(Token(kind: .end, offset: s.count))
        return tokens
    }
}
