import Catalog

/// Prints an expression tree as tag-language text that parses back to the same tree, with only the
/// parentheses the grammar needs (so that printing and re-parsing exercises precedence and associativity).
///
/// A test helper for the parser's property tests; the library has no printer because nothing else needs
/// one yet. If `digitag explain` or the linter ever shows rewritten expressions, this can move to
/// `Sources/Catalog/Expr+Description.swift`.
enum ExprPrinter {
    /// Why a tree has no text that parses back to it.
    struct Unprintable: Error, CustomStringConvertible {
        var description: String
    }

    /// Binding strength of the grammar's productions (Parser.swift), weakest first.
    enum Level: Int, Comparable {
        case or = 1, and, not, comparison, additive, multiplicative, unary, primary
        static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    static func text(_ e: Expr) throws(Unprintable) -> String { try render(e, atLeast: .or) }

    private static func render(_ e: Expr, atLeast minimum: Level) throws(Unprintable) -> String {
        let (text, level) = try bare(e)
        return level >= minimum ? text : "(" + text + ")"
    }

    private static func list(_ items: [Expr], atLeast minimum: Level) throws(Unprintable) -> String {
        var parts: [String] = []
        for item in items { parts.append(try render(item, atLeast: minimum)) }
        return parts.joined(separator: ", ")
    }

    private static func bare(_ e: Expr) throws(Unprintable) -> (String, Level) {
        switch e {
        case .number(let d, _): return (try number(d), .primary)
        case .string(let s, _):
            if !s.contains("'") { return ("'" + s + "'", .primary) }
            if !s.contains("\"") { return ("\"" + s + "\"", .primary) }
            throw Unprintable(description: "text with both quote characters: \(s.debugDescription)")
        case .bool(let b, _): return (b ? "true" : "false", .primary)
        case .null: return ("null", .primary)
        case .asOf: return ("asof", .primary)
        case .name(let n, _): return (n, .primary)
        case .unary(.negate, let x, _): return ("-" + (try render(x, atLeast: .unary)), .unary)
        case .unary(.not, let x, _): return ("not " + (try render(x, atLeast: .not)), .not)
        case .binary(let op, let l, let r, _):
            let (left, right, level): (Level, Level, Level)
            switch op {
            case .or: (left, right, level) = (.or, .and, .or)
            case .and: (left, right, level) = (.and, .not, .and)
            case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual: (left, right, level) = (.additive, .additive, .comparison)
            case .add, .subtract: (left, right, level) = (.additive, .multiplicative, .additive)
            case .multiply, .divide: (left, right, level) = (.multiplicative, .unary, .multiplicative)
            }
            return ((try render(l, atLeast: left)) + " " + op.rawValue + " " + (try render(r, atLeast: right)), level)
        case .inList(let x, let items, let negated, _):
            return ((try render(x, atLeast: .additive)) + (negated ? " not in [" : " in [") + (try list(items, atLeast: .additive)) + "]", .comparison)
        case .isNull(let x, let negated, _):
            return ((try render(x, atLeast: .additive)) + (negated ? " is not null" : " is null"), .comparison)
        case .call(let name, let args, _): return (name + "(" + (try list(args, atLeast: .or)) + ")", .primary)
        case .list(let items, _): return ("[" + (try list(items, atLeast: .additive)) + "]", .primary)
        case .aggregate(let a):
            var s = a.function.rawValue + "(" + a.source + (a.field.map { "." + $0 } ?? "")
            if let f = a.filter { s += " where " + (try render(f, atLeast: .or)) }
            if let w = a.windowText { s += " within " + w }
            return (s + ")", .primary)
        }
    }

    /// A non-negative finite number in plain decimal (the lexer reads digits and dots, no exponent), with the
    /// shortest digits that read back as the same Double.
    static func number(_ d: Double) throws(Unprintable) -> String {
        guard d.isFinite, d >= 0, d.sign == .plus else { throw Unprintable(description: "no literal for \(d)") }
        let shortest = "\(d)"
        guard let e = shortest.firstIndex(of: "e") else {
            return shortest.hasSuffix(".0") ? String(shortest.dropLast(2)) : shortest
        }
        // "1.5e+20" → digits "15", the point after 1 + 20 digits.
        let mantissa = shortest[..<e]
        let exponent = Int(shortest[shortest.index(after: e)...])!
        let pointAt = (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count) + exponent
        var digits = mantissa.filter { $0 != "." }
        if pointAt <= 0 { return "0." + String(repeating: "0", count: -pointAt) + digits }
        if pointAt >= digits.count { return digits + String(repeating: "0", count: pointAt - digits.count) }
        digits.insert(".", at: digits.index(digits.startIndex, offsetBy: pointAt))
        return digits
    }
}

extension Expr {
    /// The tree with every offset zero: two parses of different texts compare by structure alone.
    var withoutOffsets: Expr {
        switch self {
        case .number(let d, _): return .number(d, at: 0)
        case .string(let s, _): return .string(s, at: 0)
        case .bool(let b, _): return .bool(b, at: 0)
        case .null: return .null(at: 0)
        case .asOf: return .asOf(at: 0)
        case .name(let n, _): return .name(n, at: 0)
        case .unary(let op, let x, _): return .unary(op, x.withoutOffsets, at: 0)
        case .binary(let op, let l, let r, _): return .binary(op, l.withoutOffsets, r.withoutOffsets, at: 0)
        case .inList(let x, let items, let negated, _): return .inList(x.withoutOffsets, items.map(\.withoutOffsets), negated: negated, at: 0)
        case .isNull(let x, let negated, _): return .isNull(x.withoutOffsets, negated: negated, at: 0)
        case .call(let name, let args, _): return .call(name, args.map(\.withoutOffsets), at: 0)
        case .list(let items, _): return .list(items.map(\.withoutOffsets), at: 0)
        case .aggregate(var a):
            a.offset = 0
            a.sourceOffset = 0
            a.filter = a.filter?.withoutOffsets
            return .aggregate(a)
        }
    }

    /// Every node with the text its offset must point at (the token that starts or names it).
    var anchors: [(offset: Int, token: String)] {
        switch self {
        case .number(let d, let at): return [(at, (try? ExprPrinter.number(d)).map { String($0.prefix(1)) } ?? "")]
        case .string(_, let at): return [(at, "")]
        case .bool(let b, let at): return [(at, b ? "true" : "false")]
        case .null(let at): return [(at, "null")]
        case .asOf(let at): return [(at, "asof")]
        case .name(let n, let at): return [(at, n)]
        case .unary(let op, let x, let at): return [(at, op == .negate ? "-" : "not")] + x.anchors
        case .binary(let op, let l, let r, let at): return [(at, op.rawValue)] + l.anchors + r.anchors
        case .inList(let x, let items, let negated, let at): return [(at, negated ? "not" : "in")] + x.anchors + items.flatMap(\.anchors)
        case .isNull(let x, _, let at): return [(at, "is")] + x.anchors
        case .call(let name, let args, let at): return [(at, name + "(")] + args.flatMap(\.anchors)
        case .list(let items, let at): return [(at, "[")] + items.flatMap(\.anchors)
        case .aggregate(let a): return [(a.offset, a.function.rawValue + "("), (a.sourceOffset, a.source)] + (a.filter?.anchors ?? [])
        }
    }
}
