import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Risk
import TestSupport
import Testing

@Suite struct RiskModelTests {
    static let sources: SourceCatalog = {
        let regions = try! ReferenceTable.load(TestPaths.repo("Pipelines/regions.csv"), requiredColumns: ["code", "city_code"])
        let industries = try! ReferenceTable.load(TestPaths.repo("Pipelines/industries.csv"), requiredColumns: ["code", "section"])
        return try! SourceCatalog.load(path: TestPaths.repo("Pipelines/sources.yaml"), regions: regions, industries: industries)
    }()

    /// Three tags: a flag, a rating, a count.
    static let catalog: TagCatalog = {
        var loader = CatalogLoader()
        loader.load(
            text: """
                dimension: supervision
                tags:
                  - {id: f.listed, name_zh: 列入名录, name_en: listed, type: boolean, expr: exists(abnormal_list)}
                  - {id: f.rating, name_zh: 纳税信用级别, name_en: rating, type: categorical, expr: latest(tax_ratings.rating)}
                  - {id: f.count, name_zh: 处罚次数, name_en: penalties, type: numeric, expr: count(penalties)}
                  - {id: f.dishonest, name_zh: 严重失信, name_en: dishonest, type: boolean, expr: exists(credit_lists)}
                  - {id: f.red, name_zh: 红名单, name_en: red, type: boolean, expr: exists(commitments)}
                """, file: "t.yaml")
        return try! TagCatalog.compile(definitions: loader.definitions, sources: sources)
    }()

    static let modelText = """
        model: test
        reasons: 2
        classes:
          - {class: A, min_score: 0}
          - {class: B, min_score: 10}
          - {class: C, min_score: 30}
          - {class: D, min_score: 60}
        scorecard:
          - {tag: f.listed, points: 20}
          - tag: f.rating
            values: {D: 25, C: 10}
          - tag: f.count
            ranges:
              - {min: 1, below: 3, points: 5}
              - {min: 3, points: 15}
          - {when: "f.count >= 5 and f.listed", points: 7, id: combo}
        hard_rules:
          - {id: dishonest, when: f.dishonest, at_least: D}
          - {id: listed, when: f.listed, at_least: C}
          - {id: red, when: f.red, at_most: B}
        """

    func score(listed: [Double], rating: [String?], count: [Double], dishonest: [Double], red: [Double]) throws -> [RiskResult] {
        let model = try RiskModelLoader.load(text: Self.modelText, file: "risk.yaml", catalog: Self.catalog)
        let v = Self.catalog.vocabulary
        let tags: [Column] = [
            .numbers(listed), .codes(rating.map { $0.flatMap { v.code($0) } ?? -1 }), .numbers(count), .numbers(dishonest), .numbers(red),
        ]
        let combo = zip(count, listed).map { ($0 >= 5 && $1 != 0) ? 1.0 : 0.0 }
        let rules = [dishonest, listed, red]
        return RiskScorer(model: model).score(count: listed.count, tags: tags, entryColumns: [3: combo], ruleColumns: rules)
    }

    @Test func scoresCutOffsAndReasons() throws {
        let r = try score(
            listed: [0, 0, 1, 0, 0], rating: [nil, "C", "D", "D", "A"], count: [0, 2, 5, 3, 0], dishonest: [0, 0, 0, 0, 0],
            red: [0, 0, 0, 0, 0])
        #expect(r.map(\.score) == [0, 15, 67, 40, 0])
        #expect(r.map(\.classIndex) == [0, 1, 3, 2, 0])
        // Largest first; ties keep scorecard order.
        #expect(r[2].contributions.map(\.points) == [25, 20, 15, 7])
        #expect(r[1].contributions.map(\.entry) == [1, 2])
    }

    /// A cut-off is reached at its min_score exactly; a score below every cut-off (negative, from relief points
    /// such as the shipped `tax.rating` A: −5) is in the lowest class — the loader requires that class to start
    /// at 0, so no score is left without a class. Stated in docs/risk-model.md.
    @Test func scoresBelowEveryCutOffAreInTheLowestClass() throws {
        let relief = Self.modelText.replacingOccurrences(of: "values: {D: 25, C: 10}", with: "values: {D: 25, C: 10, A: -5}")
        let model = try RiskModelLoader.load(text: relief, file: "risk.yaml", catalog: Self.catalog)
        #expect(model.classFor(score: -5) == 0)
        #expect(model.classFor(score: -1e9) == 0)
        #expect(model.classFor(score: 0) == 0)
        #expect(model.classFor(score: 9.99) == 0)
        #expect(model.classFor(score: 10) == 1)
        #expect(model.classFor(score: 29.99) == 1)
        #expect(model.classFor(score: 60) == 3)
        let v = Self.catalog.vocabulary
        let tags: [Column] = [.numbers([0]), .codes([v.code("A") ?? -1]), .numbers([0]), .numbers([0]), .numbers([0])]
        let r = RiskScorer(model: model).score(count: 1, tags: tags, entryColumns: [3: [0]], ruleColumns: [[0], [0], [0]])
        #expect(r[0].score == -5)
        #expect(r[0].classIndex == 0)
        #expect(r[0].scoreClassIndex == 0)
    }

    @Test func hardRulesRaiseAndCapAndFloorsWin() throws {
        let r = try score(
            listed: [1, 0, 0, 1], rating: [nil, nil, "D", nil], count: [0, 0, 3, 0], dishonest: [0, 1, 0, 0], red: [0, 0, 1, 1])
        #expect(r[0].classIndex == 2)  // listed, score 20 (B) → at least C
        #expect(r[0].scoreClassIndex == 1)
        #expect(r[1].classIndex == 3)  // dishonest, score 0 → D
        #expect(r[2].classIndex == 1)  // score 40 (C), red list caps at B
        #expect(r[3].classIndex == 2)  // listed and red: the floor C wins over the cap B
        #expect(r[3].firedRules == [1, 2])
    }

    @Test func modelErrorsNameThePlace() {
        let bad = """
            model: test
            classes:
              - {class: A, min_score: 0}
              - {class: B, min_score: 10}
            scorecard:
              - {tag: f.listd, points: 20}
              - tag: f.rating
                values: {E: 25}
              - {tag: f.count, points: 3}
            hard_rules:
              - {id: x, when: f.listed, at_least: Z}
              - {id: y, when: "f.count", at_least: B}
            """
        do {
            _ = try RiskModelLoader.load(text: bad, file: "risk.yaml", catalog: Self.catalog)
            Issue.record("expected errors")
        } catch {
            let messages = error.diagnostics.map(\.description)
            #expect(messages.contains { $0.hasPrefix("risk.yaml:6:") && $0.contains("unknown tag 'f.listd'") && $0.contains("did you mean 'f.listed'?") })
            #expect(messages.contains { $0.contains("'E' is not a value of tag 'f.rating'") })
            #expect(messages.contains { $0.contains("numeric tag 'f.count' needs 'ranges") })
            #expect(messages.contains { $0.contains("unknown class 'Z'") })
            #expect(messages.contains { $0.contains("must be a condition") })
        }
    }

    @Test func shippedModelCompiles() throws {
        let dir = TestPaths.repo("Pipelines/tags")
        let files = FileSystem.list(dir).filter { $0.hasSuffix(".yaml") }.map { dir + "/" + $0 }
        let catalog = try TagCatalog.compile(files: files, sources: Self.sources)
        let model = try RiskModelLoader.load(path: TestPaths.repo("Pipelines/risk.yaml"), catalog: catalog)
        #expect(model.classes.map(\.code) == ["A", "B", "C", "D"])
        #expect(model.hardRules.map(\.id).contains("serious_dishonest"))
    }
}
