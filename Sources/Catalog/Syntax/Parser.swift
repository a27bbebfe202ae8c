/// Recursive-descent parser for the expression language.
///
/// ```
/// expr    := or
/// or      := and ('or' and)*
/// and     := not ('and' not)*
/// not     := 'not' not | cmp
/// cmp     := add (op add | ['not'] 'in' '[' list ']' | 'is' ['not'] 'null')?
/// add     := mul (('+'|'-') mul)*
/// mul     := unary (('*'|'/') unary)*
/// unary   := '-' unary | primary
/// primary := number | 'text' | true | false | null | asof | name | call | '(' expr ')'
/// call    := fn '(' args ')'  |  agg '(' source['.'field] ['where' expr] ['within' window] ')'
/// ```
public struct Parser {
    private var tokens: [Token]
    private var position = 0

    public static let keywords: Set<String> = ["and", "or", "not", "in", "is", "null", "true", "false", "asof", "where", "within"]

    public init(_ text: String) throws(ExpressionError) {
        tokens = try Lexer.tokenize(text)
    }

    /// Parses a whole expression; anything left over is an error.
    public static func parse(_ text: String) throws(ExpressionError) -> Expr {
        var p = try Parser(text)
        let e = try p.parseOr()
        guard case .end = p.current.kind else {
            throw ExpressionError(
                offset: p.current.offset, message: "unexpected '\(p.current.text)' after a complete expression",
                hint: "join conditions with 'and' / 'or'")
        }
        return e
    }

    private var current: Token { tokens[position] }
    private mutating func advance() { if position < tokens.count - 1 { position += 1 } }

    private func isName(_ word: String) -> Bool { if case .name(word) = current.kind { true } else { false } }
    private func isSymbol(_ sym: String) -> Bool { if case .symbol(sym) = current.kind { true } else { false } }

    private mutating func expect(_ sym: String, _ context: String) throws(ExpressionError) {
        guard isSymbol(sym) else {
            throw ExpressionError(offset: current.offset, message: "expected '\(sym)' \(context), found '\(current.text)'")
        }
        advance()
    }

    mutating func parseOr() throws(ExpressionError) -> Expr {
        var left = try parseAnd()
        while isName("or") {
            let at = current.offset
            advance()
            left = .binary(.or, left, try parseAnd(), at: at)
        }
        return left
    }

    mutating func parseAnd() throws(ExpressionError) -> Expr {
        var left = try parseNot()
        while isName("and") {
            let at = current.offset
            advance()
            left = .binary(.and, left, try parseNot(), at: at)
        }
        return left
    }

    mutating func parseNot() throws(ExpressionError) -> Expr {
        if isName("not") {
            let at = current.offset
            advance()
            return .unary(.not, try parseNot(), at: at)
        }
        return try parseComparison()
    }

    mutating func parseComparison() throws(ExpressionError) -> Expr {
        let left = try parseAdditive()
        let at = current.offset
        if case .symbol(let s) = current.kind, let op = BinaryOperator(rawValue: s), op.isComparison {
            advance()
            return .binary(op, left, try parseAdditive(), at: at)
        }
        if isName("in") || (isName("not") && position + 1 < tokens.count && tokens[position + 1].kind == .name("in")) {
            let negated = isName("not")
            if negated { advance() }
            advance()
            try expect("[", "to start the list after 'in'")
            return .inList(left, try parseListItems(), negated: negated, at: at)
        }
        if isName("is") {
            advance()
            var negated = false
            if isName("not") {
                negated = true
                advance()
            }
            guard isName("null") else {
                throw ExpressionError(offset: current.offset, message: "expected 'null' after 'is'")
            }
            advance()
            return .isNull(left, negated: negated, at: at)
        }
        return left
    }

    /// The items of a list after its '[', up to and including the closing ']'.
    private mutating func parseListItems() throws(ExpressionError) -> [Expr] {
        var items: [Expr] = []
        if !isSymbol("]") {
            items.append(try parseAdditive())
            while isSymbol(",") {
                advance()
                items.append(try parseAdditive())
            }
        }
        try expect("]", "to close the list")
        return items
    }

    mutating func parseAdditive() throws(ExpressionError) -> Expr {
        var left = try parseMultiplicative()
        while isSymbol("+") || isSymbol("-") {
            let op: BinaryOperator = isSymbol("+") ? .add : .subtract
            let at = current.offset
            advance()
            left = .binary(op, left, try parseMultiplicative(), at: at)
        }
        return left
    }

    mutating func parseMultiplicative() throws(ExpressionError) -> Expr {
        var left = try parseUnary()
        while isSymbol("*") || isSymbol("/") {
            let op: BinaryOperator = isSymbol("*") ? .multiply : .divide
            let at = current.offset
            advance()
            left = .binary(op, left, try parseUnary(), at: at)
        }
        return left
    }

    mutating func parseUnary() throws(ExpressionError) -> Expr {
        if isSymbol("-") {
            let at = current.offset
            advance()
            return .unary(.negate, try parseUnary(), at: at)
        }
        return try parsePrimary()
    }

    mutating func parsePrimary() throws(ExpressionError) -> Expr {
        let token = current
        switch token.kind {
        case .number(let d):
            advance()
            return .number(d, at: token.offset)
        case .string(let s):
            advance()
            return .string(s, at: token.offset)
        case .window(let w):
            throw ExpressionError(
                offset: token.offset, message: "a window such as '\(w)' can only follow 'within' inside an aggregate",
                hint: "e.g. count(penalties within \(w))")
        case .symbol("("):
            advance()
            let e = try parseOr()
            try expect(")", "to close '('")
            return e
        case .symbol("["):
            advance()
            return .list(try parseListItems(), at: token.offset)
        case .symbol(let s):
            throw ExpressionError(offset: token.offset, message: "expected a value, found '\(s)'")
        case .end:
            throw ExpressionError(offset: token.offset, message: "the expression ends too early: a value is missing")
        case .name(let name):
            switch name {
            case "true", "false":
                advance()
                return .bool(name == "true", at: token.offset)
            case "null":
                advance()
                return .null(at: token.offset)
            case "asof":
                advance()
                return .asOf(at: token.offset)
            case _ where Parser.keywords.contains(name):
                throw ExpressionError(offset: token.offset, message: "expected a value, found the keyword '\(name)'")
            default:
                break
            }
            advance()
            guard isSymbol("(") else { return .name(name, at: token.offset) }
            advance()
            return try parseCall(name, at: token.offset)
        }
    }

    private mutating func parseCall(_ name: String, at: Int) throws(ExpressionError) -> Expr {
        if let fn = AggregateFunction(rawValue: name), case .name(let ref) = current.kind, !Parser.keywords.contains(ref) {
            // An aggregate if its argument is a single (dotted) name followed by where/within/')'.
            let save = position
            let refOffset = current.offset
            advance()
            if isName("where") || isName("within") || isSymbol(")") {
                return try parseAggregateRest(fn, ref: ref, refOffset: refOffset, at: at)
            }
            position = save
        }
        var args: [Expr] = []
        if !isSymbol(")") {
            args.append(try parseOr())
            while isSymbol(",") {
                advance()
                args.append(try parseOr())
            }
        }
        try expect(")", "to close the arguments of \(name)(…)")
        return .call(name, args, at: at)
    }

    private mutating func parseAggregateRest(
        _ fn: AggregateFunction, ref: String, refOffset: Int, at: Int
    ) throws(ExpressionError) -> Expr {
        var source = ref
        var field: String?
        if let dot = ref.firstIndex(of: ".") {
            source = String(ref[..<dot])
            field = String(ref[ref.index(after: dot)...])
        }
        var filter: Expr?
        var windowDays: Int?
        var windowText: String?
        if isName("where") {
            advance()
            filter = try parseOr()
        }
        if isName("within") {
            advance()
            let wt = current
            let text: String
            switch wt.kind {
            case .window(let w): text = w
            case .name("all"): text = "all"
            default:
                throw ExpressionError(
                    offset: wt.offset, message: "expected a window after 'within', found '\(wt.text)'",
                    hint: "write e.g. 30d, 90d, 180d, 1y, 2y, 3y or all")
            }
            guard let days = Window.days(text) else {
                throw ExpressionError(
                    offset: wt.offset, message: "'\(text)' is not a window", hint: "write a number with d, m or y, e.g. 90d or 1y")
            }
            windowDays = days
            windowText = text
            advance()
        }
        try expect(")", "to close \(fn.rawValue)(…)")
        return .aggregate(
            AggregateExpr(
                function: fn, source: source, field: field, filter: filter, windowDays: windowDays, windowText: windowText,
                offset: at, sourceOffset: refOffset))
    }
}
