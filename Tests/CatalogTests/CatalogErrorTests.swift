import Catalog
import DigiTagBase
import Testing

/// Each kind of catalog mistake gets a message that names the place and, where possible, a fix.
@Suite struct CatalogErrorTests {
    func single(_ yaml: String) -> Diagnostic? {
        let d = CatalogFixture.diagnostics(yaml)
        #expect(d.count >= 1, "expected a diagnostic")
        return d.first
    }

    @Test func unknownFieldSuggestsTheClosest() {
        let d = single(CatalogFixture.tag("t.a", "numeric", "sum(tax_filings.amout within 1y)"))
        #expect(d?.message == "in tag 't.a': unknown field 'amout' in tax_filings")
        #expect(d?.hint == "did you mean 'amount'?")
        #expect(d?.location.description == "tags/test.yaml:7:27")
    }

    @Test func unknownFieldInsideWhere() {
        let d = single(CatalogFixture.tag("t.a", "numeric", "count(penalties where severty == 'serious')"))
        #expect(d?.message.contains("unknown field 'severty' in penalties") == true)
        #expect(d?.hint == "did you mean 'severity'?")
        #expect(d?.location.column == 33)
    }

    @Test func unknownFunction() {
        let d = single(CatalogFixture.tag("t.a", "numeric", "cout(penalties)"))
        #expect(d?.message.contains("unknown function 'cout'") == true)
        #expect(d?.hint == "did you mean 'count'?")
    }

    @Test func unknownSource() {
        let d = single(CatalogFixture.tag("t.a", "numeric", "count(penaltys)"))
        #expect(d?.message.contains("unknown source 'penaltys'") == true)
        #expect(d?.hint == "did you mean 'penalties'?")
    }

    @Test func typeMismatchInComparison() {
        let d = single(CatalogFixture.tag("t.a", "boolean", "count(penalties) > reg.established_on"))
        #expect(d?.message.contains("cannot compare a number with a date") == true)
    }

    @Test func declaredTypeDisagreesWithExpression() {
        let d = single(CatalogFixture.tag("t.a", "boolean", "count(penalties)"))
        #expect(d?.message == "tag 't.a' is declared boolean but its expression gives a number")
        #expect(d?.hint?.contains("> 0") == true)
    }

    @Test func unknownCategoryValue() {
        let d = single(CatalogFixture.tag("t.a", "boolean", "\"latest(tax_ratings.rating) == 'E'\""))
        #expect(d?.message.contains("unknown value 'E' for tax_ratings.rating") == true)
        #expect(d?.hint?.contains("A, B, M, C, D") == true)
    }

    @Test func duplicateIds() {
        let yaml = """
            dimension: basic
            tags:
              - {id: t.a, name_zh: 甲, name_en: a, type: numeric, expr: count(penalties)}
              - {id: t.a, name_zh: 乙, name_en: b, type: numeric, expr: count(complaints)}
            """
        let d = single(yaml)
        #expect(d?.message == "duplicate tag id 't.a'")
        #expect(d?.hint?.contains("tags/test.yaml:3") == true)
    }

    @Test func cyclesAreReportedWithTheirPath() {
        let yaml = """
            dimension: basic
            tags:
              - {id: t.a, name_zh: 甲, name_en: a, type: numeric, expr: t.b + 1}
              - {id: t.b, name_zh: 乙, name_en: b, type: numeric, expr: t.c + 1}
              - {id: t.c, name_zh: 丙, name_en: c, type: numeric, expr: t.a + 1}
            """
        let d = CatalogFixture.diagnostics(yaml)
        #expect(d.contains { $0.message.contains("cycle: t.a → t.b → t.c → t.a") })
    }

    @Test func windowOnTheRegistrationSource() {
        let d = single(CatalogFixture.tag("t.a", "numeric", "count(registration within 1y)"))
        #expect(d?.message.contains("registration has one row per enterprise") == true)
    }

    @Test func unknownKeyInATagSuggestsTheKey() {
        let d = single(CatalogFixture.tag("t.a", "numeric", "count(penalties)", extra: "    descripton: x"))
        #expect(d?.message == "unknown key 'descripton' in tag 't.a'")
        #expect(d?.hint == "did you mean 'description'?")
        #expect(d?.location.line == 8)
    }

    @Test func unknownTagReference() {
        let d = single(CatalogFixture.tag("t.a", "boolean", "abnormal.listd"))
        #expect(d?.message.contains("unknown tag or field 'abnormal.listd'") == true)
    }

    @Test func missingTypeAndUnknownDimension() {
        let yaml = """
            tags:
              - {id: t.a, name_zh: 甲, name_en: a, type: numric, dimension: basic, expr: count(penalties)}
              - {id: t.b, name_zh: 乙, name_en: b, type: numeric, dimension: suppervision, expr: count(penalties)}
            """
        let d = CatalogFixture.diagnostics(yaml)
        #expect(d.contains { $0.message == "unknown tag type 'numric'" && $0.hint == "did you mean 'numeric'?" })
        #expect(d.contains { $0.message == "unknown dimension 'suppervision'" && $0.hint == "did you mean 'supervision'?" })
    }

    @Test func familyPlaceholderWithoutParameter() {
        let yaml = """
            dimension: basic
            families:
              - id: t.x.{w}
                name_zh: 甲{w}
                name_en: a {w}
                type: numeric
                expr: count(penalties within {w})
                grid:
                  window: [1y]
            """
        let d = CatalogFixture.diagnostics(yaml)
        #expect(d.contains { $0.message.contains("uses {w} but the grid has no such parameter") })
    }

    @Test func allProblemsAreReportedTogether() {
        let yaml = """
            dimension: basic
            tags:
              - {id: t.a, name_zh: 甲, name_en: a, type: numeric, expr: count(penaltys)}
              - {id: t.b, name_zh: 乙, name_en: b, type: numeric, expr: sum(penalties.amout)}
              - {id: t.c, name_zh: 丙, name_en: c, type: boolean, expr: count(penalties)}
            """
        #expect(CatalogFixture.diagnostics(yaml).count == 3)
    }
}
