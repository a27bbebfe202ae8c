import Catalog
import Testing

@Suite struct ParserTests {
    @Test func precedenceAndOperators() throws {
        let e = try Parser.parse("a.b + 2 * 3 > 4 and not c or d")
        guard case .binary(.or, .binary(.and, .binary(.greater, .binary(.add, _, .binary(.multiply, _, _, _), _), _, _), .unary(.not, _, _), _), .name("d", _), _) = e else {
            Issue.record("unexpected tree \(e)")
            return
        }
    }

    @Test func aggregatesWithWhereAndWindow() throws {
        let e = try Parser.parse("count(penalties where severity == 'serious' within 1y)")
        guard case .aggregate(let a) = e else {
            Issue.record("not an aggregate")
            return
        }
        #expect(a.function == .count)
        #expect(a.source == "penalties")
        #expect(a.windowDays == 365)
        #expect(a.filter != nil)
        let b = try #require(Self.aggregate(try Parser.parse("sum(penalties.amount within 90d)")), "not an aggregate")
        #expect(b.function == .sum)
        #expect(b.source == "penalties")
        #expect(b.field == "amount")
        #expect(b.windowDays == 90)
        #expect(b.filter == nil)
    }

    static func aggregate(_ e: Expr) -> AggregateExpr? {
        if case .aggregate(let a) = e { a } else { nil }
    }

    @Test func scalarMinIsNotAnAggregate() throws {
        guard case .call("min", let args, _) = try Parser.parse("min(a, b)") else {
            Issue.record("expected a call")
            return
        }
        #expect(args.count == 2)
    }

    @Test func tagIdsWithDigitSegments() throws {
        #expect(try Parser.parse("tax.late_filings.1y >= 2") != .null(at: 0))
        guard case .binary(.greaterEqual, .name("tax.late_filings.1y", _), _, _) = try Parser.parse("tax.late_filings.1y >= 2") else {
            Issue.record("name not lexed whole")
            return
        }
    }

    @Test func inListsAndNullTests() throws {
        guard case .inList(_, let items, negated: true, _) = try Parser.parse("x not in ['A', 'B']") else {
            Issue.record("expected not in")
            return
        }
        #expect(items.count == 2)
        guard case .isNull(_, negated: true, _) = try Parser.parse("x is not null") else {
            Issue.record("expected is not null")
            return
        }
    }

    /// Each bad expression must throw (a parser that stopped throwing fails here), at the column named.
    @Test(arguments: [
        ("a = 1", 2, "'=' is not an operator"),
        ("count(penalties within 1week)", 23, "not a window"),
        ("(a and b", 8, "expected ')' to close '('"),
        ("a b", 2, "unexpected 'b'"),
    ])
    func errorsPointAtTheColumn(_ text: String, _ offset: Int, _ message: String) throws {
        let error = try #require(throws: ExpressionError.self) { try Parser.parse(text) }
        #expect(error.offset == offset, "\(text)")
        #expect(error.message.contains(message), "\(error.message)")
    }
}
