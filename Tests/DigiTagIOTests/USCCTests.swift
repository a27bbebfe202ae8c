import DataContract
import DigiTagIO
import Testing

@Suite struct USCCTests {
    // Real-world codes whose check characters were confirmed with an independent Python implementation of
    // GB 32100-2015 (weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28, c = 31 - Σ mod 31).
    @Test(arguments: [
        "91350100M000100Y43",
        "91110108551385082Q",
        "91440300708461136T",
    ])
    func acceptsValidCodes(_ code: String) throws {
        #expect(USCC.isValid(code), "\(code) should be valid")
        let packed = try USCC.parse(code).get()
        #expect(USCC.text(packed) == code)
    }

    @Test(arguments: [
        ("911100001000013428", Character("C")),
        ("91370000163043286X", Character("R")),
        ("91330000MA27U0D17A", Character("7")),
    ])
    func rejectsCodesWithAWrongCheckCharacter(_ code: String, _ expected: Character) {
        #expect(USCC.parse(code) == .failure(.wrongCheckCharacter(expected: expected, found: code.last!)))
    }

    @Test func rejectsWrongCheckCharacterAndSaysWhich() {
        guard case .failure(let p) = USCC.parse("91350100M000100Y44") else {
            Issue.record("expected a failure")
            return
        }
        #expect(p == .wrongCheckCharacter(expected: "3", found: "4"))
        #expect(p.description.contains("'3'"))
    }

    @Test func rejectsLengthAndAlphabet() {
        #expect(USCC.parse("9135010") == .failure(.wrongLength(7)))
        // I, O, Z, S, V are not in the alphabet.
        #expect(USCC.parse("91350100M00010OY43") == .failure(.invalidCharacter(position: 15)))
        #expect(USCC.parse("91350100m000100Y43") == .failure(.invalidCharacter(position: 9)))
    }

    @Test func completeComputesTheCheckCharacter() {
        #expect(USCC.complete("91350100M000100Y4") == "91350100M000100Y43")
        // Every one of the 31 possible check values round-trips.
        var seen = Set<Character>()
        for i in 0..<2000 {
            let body = "913702" + String(repeating: "0", count: 11 - String(i).count) + String(i)
            let code = USCC.complete(body)
            #expect(USCC.isValid(code))
            seen.insert(code.last!)
        }
        #expect(seen.count == 31)
    }

    @Test func packedOrderIsTextOrder() {
        let codes = ["91350100M000100Y43", "91110108551385082Q", "91440300708461136T", USCC.complete("91370000163043286")].sorted()
        let packed = codes.map { try! USCC.parse($0).get() }
        #expect(packed == packed.sorted())
    }
}

/// Issue 14: a USCC as typed — spaces, full-width characters, lower case — is the same code.
@Suite("USCC as typed")
struct USCCTypedTests {
    @Test("trimmed, full-width folded, upper-cased; lengths in characters")
    func normalize() {
        #expect(USCC.normalize("  91370102handmade1c\n") == "91370102HANDMADE1C")
        #expect(USCC.normalize("９１３７０１０２ＨＡＮＤＭＡＤＥ１Ｃ") == "91370102HANDMADE1C")
        #expect(USCC.normalize("　91370102HANDMADE1C　") == "91370102HANDMADE1C")
        #expect((try? USCC.parseTyped(" 91370102handmade1c ").get()) == (try? USCC.parse("91370102HANDMADE1C").get()))
        guard case .failure(let p) = USCC.parseTyped("统一社会信用代码") else {
            Issue.record("a Chinese word is not a USCC")
            return
        }
        #expect(p.description == "a USCC has 18 characters, found 8")
        guard case .failure(let q) = USCC.parseTyped("91370102HANDMADE1码") else {
            Issue.record("a Chinese character is not in the alphabet")
            return
        }
        #expect(q.description.hasPrefix("character 18 is not in the USCC alphabet"))
    }
}
