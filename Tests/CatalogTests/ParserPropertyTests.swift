import Catalog
import PropertyBased
import TestSupport
import Testing

/// The tag-language parser on generated input: it returns a tree or an error pointing inside the text, and
/// never traps (a trap would end the test process); a printed tree parses back to itself.
@Suite struct ParserPropertyTests {
    typealias RNG = any SeededRandomNumberGenerator

    // MARK: generated trees

    static let segments = ["a", "b", "x", "tax", "reg", "late_filings", "_p", "amount", "all", "A9", "within2", "notice", "isx"]
    static let digitSegments = ["1y", "90d", "2", "0"]
    static let callNames = ["ratio", "band", "abs", "round", "coalesce", "if", "days_between", "f"] + AggregateFunction.allCases.map(\.rawValue)
    static let texts = ["", "A", "serious", "山东", "济南市 历下区", "a,b", "x == 'y'", "\"quoted\"", "it's", "(", "\\", "where", " ", "😀"]
    static let windows = ["30d", "90d", "180d", "6m", "1y", "2y", "3y", "365d", "all"]

    static func chance(_ p: Double, _ rng: inout RNG) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    static func pick<T>(_ items: [T], _ rng: inout RNG) -> T { items.randomElement(using: &rng)! }

    static func identifier(_ rng: inout RNG) -> String {
        var s = pick(segments, &rng)
        while Parser.keywords.contains(s) { s = pick(segments, &rng) }
        return s
    }

    /// A dotted name that is not a keyword: a tag id (`tax.late_filings.1y`), `reg.field`, a source field.
    static func name(_ rng: inout RNG) -> String {
        var parts = [identifier(&rng)]
        for _ in 0..<Int.random(in: 0...2, using: &rng) { parts.append(chance(0.25, &rng) ? pick(digitSegments, &rng) : identifier(&rng)) }
        return parts.joined(separator: ".")
    }

    /// A literal number as the lexer makes it: never negative (a minus sign is an operator).
    static func number(_ rng: inout RNG) -> Double {
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: return Double(Int.random(in: 0...9, using: &rng))
        case 1: return Double(Int.random(in: 0...1_000_000, using: &rng))
        case 2: return Double(Int.random(in: 0...100_000, using: &rng)) / 100
        case 3: return Double(Int.random(in: 1...999, using: &rng)) / 1_000_000
        case 4: return Double(UInt64.random(in: 0...UInt64.max, using: &rng))
        default: return Double.random(in: 0...1e30, using: &rng)
        }
    }

    static func text(_ rng: inout RNG) -> String {
        let s = (0..<Int.random(in: 0...3, using: &rng)).map { _ in pick(texts, &rng) }.joined()
        // The language has no escapes: text holds one kind of quote at most.
        return s.contains("'") && s.contains("\"") ? s.replacingOccurrences(of: "'", with: "") : s
    }

    static func leaf(_ rng: inout RNG) -> Expr {
        switch Int.random(in: 0..<8, using: &rng) {
        case 0, 1: return .number(number(&rng), at: 0)
        case 2: return .string(text(&rng), at: 0)
        case 3: return .bool(chance(0.5, &rng), at: 0)
        case 4: return .null(at: 0)
        case 5: return .asOf(at: 0)
        default: return .name(name(&rng), at: 0)
        }
    }

    static func exprs(_ count: ClosedRange<Int>, _ depth: Int, _ rng: inout RNG) -> [Expr] {
        (0..<Int.random(in: count, using: &rng)).map { _ in expr(depth, &rng) }
    }

    /// A random syntax tree (offsets zero) of at most `depth` levels, in every shape the parser can build.
    static func expr(_ depth: Int, _ rng: inout RNG) -> Expr {
        if depth == 0 || chance(0.2, &rng) { return leaf(&rng) }
        let d = depth - 1
        let binaryOperators: [BinaryOperator] = [.add, .subtract, .multiply, .divide, .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .and, .or]
        switch Int.random(in: 0..<16, using: &rng) {
        case 0: return .unary(.negate, expr(d, &rng), at: 0)
        case 1: return .unary(.not, expr(d, &rng), at: 0)
        case 2...6: return .binary(pick(binaryOperators, &rng), expr(d, &rng), expr(d, &rng), at: 0)
        case 7: return .inList(expr(d, &rng), exprs(0...3, d, &rng), negated: chance(0.5, &rng), at: 0)
        case 8: return .isNull(expr(d, &rng), negated: chance(0.5, &rng), at: 0)
        case 9, 10:
            let fn = pick(callNames, &rng)
            var args = exprs(0...3, d, &rng)
            // `count(x)`, `min(a.b)`: one bare name after an aggregate's name is an aggregate, not a call.
            if AggregateFunction(rawValue: fn) != nil, args.count == 1, case .name = args[0] { args.append(leaf(&rng)) }
            return .call(fn, args, at: 0)
        case 11: return .list(exprs(0...4, d, &rng), at: 0)
        default:
            let fn = pick(AggregateFunction.allCases, &rng)
            let window: String? = chance(0.6, &rng) ? pick(windows, &rng) : nil
            return .aggregate(
                AggregateProbe.make(
                    function: fn, source: identifier(&rng), field: chance(0.5, &rng) ? (chance(0.2, &rng) ? pick(digitSegments, &rng) : identifier(&rng)) : nil,
                    filter: chance(0.5, &rng) ? expr(d, &rng) : nil, windowText: window))
        }
    }

    static let trees: Generator<Expr, Shrink.None<Expr>> = Generator { rng in expr(Int.random(in: 1...6, using: &rng), &rng) }

    @Test func printedTreesParseBackToThemselves() async {
        await SeededProperty.check("print → parse is the identity", seed: 7_001, iterations: 1500, input: Self.trees) { tree in
            let text = try ExprPrinter.text(tree)
            let parsed: Expr
            do throws(ExpressionError) {
                parsed = try Parser.parse(text)
            } catch {
                Issue.record("'\(text)' does not parse: \(error.message) at \(error.offset)")
                return
            }
            #expect(parsed.withoutOffsets == tree, "printed as: \(text)")
            Self.expectAnchors(parsed, in: text)
        }
    }

    /// Every node's offset points at its own token in the text (what a diagnostic's caret shows).
    static func expectAnchors(_ e: Expr, in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let scalars = Array(text.unicodeScalars)
        for (offset, token) in e.anchors {
            let at = offset <= scalars.count ? String(String.UnicodeScalarView(scalars[offset...])) : ""
            #expect(offset <= scalars.count && at.hasPrefix(token), "offset \(offset) should point at '\(token)' in: \(text)", sourceLocation: sourceLocation)
        }
    }

    // MARK: token streams and bytes

    /// Tokens of every kind the lexer knows, good and bad, by kind: names, keywords and functions; numbers (also
    /// too large for an integer); windows (also absurd ones); text with either quote (also unclosed); operators.
    static let tokenKinds: [[String]] = [
        ["a", "x.y", "tax.late_filings.1y", "reg.capital", "penalties", "penalties.amount", "severity", "_", "all"]
            + Parser.keywords.sorted() + AggregateFunction.allCases.map(\.rawValue) + ["ratio", "band", "abs"],
        ["0", "1", "42", "3.14", "007", "1.", "1..2", "100000000000000000000", "18446744073709551616", "9223372036854775807",
            String(repeating: "9", count: 320), "0.000001"],
        ["30d", "90d", "6m", "1y", "0d", "1week", "1.5d", "30000000000000000y", "9999999999999999999d", "400000000000000000m",
            "99999999999999999999y", "12x"],
        ["'serious'", "\"A\"", "'山东'", "'it\"s'", "\"it's\"", "''", "'open", "\"open"],
        ["==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "=", ",", "(", ")", "[", "]", "(", ")", "!", "&&", "%", "@"],
    ]
    static let tokens = tokenKinds.flatMap { $0 }

    /// Which of `tokenKinds` a piece of text looks like (by its first and last character).
    static func kind(of piece: String) -> Int {
        guard let first = piece.unicodeScalars.first, let last = piece.unicodeScalars.last else { return 4 }
        if first == "'" || first == "\"" { return 3 }
        if ("0"..."9").contains(first) { return ("0"..."9").contains(last) || last == "." ? 1 : 2 }
        if first == "_" || first.properties.isAlphabetic { return 0 }
        return 4
    }

    /// Token streams: tokens at random, or a valid expression with a few tokens replaced (mostly by a token of
    /// the same kind, so that e.g. a window becomes an absurd window in its right place), inserted or removed.
    static let tokenStreams: Generator<String, Shrink.None<String>> = Generator { rng in
        if chance(0.4, &rng) {
            let count = Int.random(in: 0...(chance(0.5, &rng) ? 6 : 30), using: &rng)
            var s = ""
            for _ in 0..<count {
                s += pick(tokens, &rng)
                s += chance(0.8, &rng) ? " " : pick(["", "\t", "\n", "  "], &rng)
            }
            return s
        }
        var pieces = ((try? ExprPrinter.text(expr(4, &rng))) ?? "a").split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<Int.random(in: 1...3, using: &rng) {
            let i = Int.random(in: 0..<pieces.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: pieces.insert(pick(tokens, &rng), at: i)
            case 1: if pieces.count > 1 { pieces.remove(at: i) }
            case 2: pieces[i] = pick(tokens, &rng)
            default: pieces[i] = pick(tokenKinds[kind(of: pieces[i])], &rng)
            }
        }
        return pieces.joined(separator: " ")
    }

    /// Random bytes, and valid expressions with a few bytes changed: text from a file that is not what it should be.
    static let byteStrings: Generator<String, Shrink.None<String>> = Generator { rng in
        var bytes: [UInt8]
        if chance(0.5, &rng) {
            bytes = (0..<Int.random(in: 0...40, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        } else {
            bytes = Array(((try? ExprPrinter.text(expr(3, &rng))) ?? "a").utf8)
            for _ in 0...Int.random(in: 0...3, using: &rng) where !bytes.isEmpty {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: bytes[i] = UInt8.random(in: 0...255, using: &rng)
                case 1: bytes.remove(at: i)
                default: bytes.insert(pick(Array("()[]'\",.-=!<> 0123456789adnotwhe".utf8), &rng), at: i)
                }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The parser's answer to any text: a tree whose printed form parses back to it, or an error inside the text.
    static func expectTreeOrErrorInside(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do throws(ExpressionError) {
            let tree = try Parser.parse(text)
            // Trees from arbitrary text print back too (numbers the lexer read are printable unless infinite).
            guard let printed = try? ExprPrinter.text(tree) else { return }
            let again = try Parser.parse(printed)
            #expect(again.withoutOffsets == tree.withoutOffsets, "\(text.debugDescription) printed as \(printed.debugDescription)", sourceLocation: sourceLocation)
        } catch {
            let length = text.unicodeScalars.count
            #expect(error.offset >= 0 && error.offset <= length, "offset \(error.offset) outside \(text.debugDescription) (\(length) characters): \(error.message)", sourceLocation: sourceLocation)
            #expect(!error.message.isEmpty, sourceLocation: sourceLocation)
        }
    }

    @Test func tokenStreamsGiveATreeOrAnErrorInsideTheText() async {
        await SeededProperty.check("token streams never trap", seed: 7_002, iterations: 4000, input: Self.tokenStreams) { text in
            Self.expectTreeOrErrorInside(text)
        }
    }

    @Test func byteStringsGiveATreeOrAnErrorInsideTheText() async {
        await SeededProperty.check("byte strings never trap", seed: 7_003, iterations: 3000, input: Self.byteStrings) { text in
            Self.expectTreeOrErrorInside(text)
        }
    }

    /// The inputs the random searches above found trapping, kept as plain cases.
    @Test(arguments: [
        "a 100000000000000000000",
        "(a " + String(repeating: "9", count: 320),
        "count(penalties within 30000000000000000y)",
        "count(penalties within 9999999999999999999d)",
    ])
    func foundByTheSearch(_ text: String) {
        Self.expectTreeOrErrorInside(text)
    }
}

/// Builds an `AggregateExpr` from outside the module (its memberwise initialiser is internal) by parsing one.
enum AggregateProbe {
    static func make(function: AggregateFunction, source: String, field: String?, filter: Expr?, windowText: String?) -> AggregateExpr {
        guard case .aggregate(var a) = try! Parser.parse("count(s)") else { preconditionFailure("count(s) is an aggregate") }
        a.function = function
        a.source = source
        a.field = field
        a.filter = filter
        a.windowText = windowText
        a.windowDays = windowText.map { Window.days($0)! } ?? nil
        a.offset = 0
        a.sourceOffset = 0
        return a
    }
}
