import Catalog
import DigiTagBase
import Testing

/// Configuration mistakes that used to pass silently or never end (issue #13): repeated YAML keys and
/// exploding family grids.
@Suite struct CatalogLimitTests {
    func load(_ text: String) -> [Diagnostic] {
        var loader = CatalogLoader()
        loader.load(text: text, file: "dup.yaml")
        return loader.diagnostics
    }

    @Test func aRepeatedKeyIsReportedWhereItRepeats() {
        let d = load(
            """
            dimension: supervision
            tags:
              - id: t.a
                name_zh: 甲
                name_en: A
                type: boolean
                expr: exists(penalties)
                type: numeric
              - id: t.b
                name_zh: 乙
            dimension: basic
            """)
        let text = d.map(\.description)
        #expect(text.contains { $0.hasPrefix("dup.yaml:8:5: error: duplicate key 'type': it is already set on line 6") }, "\(text)")
        #expect(text.contains { $0.hasPrefix("dup.yaml:11:1: error: duplicate key 'dimension': it is already set on line 1") }, "\(text)")
    }

    @Test func aRepeatedKeyInAFlowMappingIsReportedAtTheFirst() {
        let d = load("dimension: supervision\ntags:\n  - {id: t.a, name_zh: 甲, id: t.b}\n")
        #expect(d.count == 1)
        #expect(d.first?.message == "duplicate key 'id' in this mapping", "\(d)")
        #expect(d.first?.location.line == 3)
    }

    func grid(_ a: Int, _ b: Int) -> String {
        """
        dimension: supervision
        families:
          - id: t.grid.{a}.{b}
            name_zh: 格{a}{b}
            name_en: grid {a} {b}
            type: numeric
            expr: count(penalties)
            grid:
              a: [\((1...a).map(String.init).joined(separator: ", "))]
              b: [\((1...b).map(String.init).joined(separator: ", "))]
        """
    }

    @Test func anExplodingFamilyIsRefusedWithItsNumbers() {
        let d = load(grid(1000, 1000))
        #expect(d.count == 1)
        #expect(d.first?.location.line == 9)
        #expect(
            d.first?.message
                == "family 't.grid.{a}.{b}' expands to 1000000 tags (1000 × 1000), more than the limit of 1000 per family", "\(d)")
    }

    @Test func oneTagOverTheFamilyLimitIsRefused() {
        let d = load(grid(10, 101))
        #expect(d.map(\.message) == ["family 't.grid.{a}.{b}' expands to 1010 tags (10 × 101), more than the limit of 1000 per family"])
    }

    @Test func aFamilyAtTheLimitLoadsAndTheCatalogHasATotal() {
        var loader = CatalogLoader()
        loader.load(text: grid(10, 100), file: "a.yaml")
        #expect(loader.diagnostics.isEmpty)
        #expect(loader.definitions.count == CatalogLoader.maxTagsPerFamily)
        for i in 2...10 { loader.load(text: grid(10, 100).replacingOccurrences(of: "t.grid", with: "t.grid\(i)"), file: "\(i).yaml") }
        #expect(loader.diagnostics.isEmpty)
        #expect(loader.definitions.count == CatalogLoader.maxTags)
        loader.load(text: grid(1, 1).replacingOccurrences(of: "t.grid", with: "t.more"), file: "more.yaml")
        #expect(loader.diagnostics.map(\.message) == ["family 't.more.{a}.{b}' (1 tag) takes the catalog to 10001 tags, more than the limit of 10000 in all"])
    }
}
