import Catalog
import DigiTagBase
import Foundation
import TestSupport
import Testing

/// The catalog we ship must compile cleanly, with every dimension and source covered.
@Suite struct ShippedCatalogTests {
    static let catalog: TagCatalog = {
        let dir = TestPaths.repo("Pipelines/tags")
        let files = FileSystem.list(dir).filter { $0.hasSuffix(".yaml") }.map { dir + "/" + $0 }
        return try! TagCatalog.compile(files: files, sources: CatalogFixture.sources)
    }()

    @Test func compilesWithStableUniqueIds() {
        let ids = Self.catalog.tags.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids.count >= 1000)
    }

    @Test func everyDimensionAndSourceIsCovered() {
        let dims = Set(Self.catalog.tags.map(\.definition.dimension))
        #expect(dims == Set(Dimension.allCases))
        let used = Set(Self.catalog.tags.flatMap(\.sources))
        let all = Set(CatalogFixture.sources.sources.filter { !$0.isEntity }.map(\.name))
        #expect(used == all, "sources without tags: \(all.subtracting(used))")
    }

    @Test func familiesExpandWithGeneratedNames() {
        let t = Self.catalog.tag("penalty.count.1y")
        #expect(t?.definition.nameZh == "近一年行政处罚次数")
        #expect(t?.definition.template == "penalty.count.{w}")
        #expect(t?.definition.family == "penalty.count")
    }

    @Test func evaluationOrderPutsDependenciesFirst() {
        var position: [String: Int] = [:]
        for (k, i) in Self.catalog.evaluationOrder.enumerated() { position[Self.catalog.tags[i].id] = k }
        for t in Self.catalog.tags {
            for d in t.dependencies { #expect(position[d]! < position[t.id]!, "\(d) must come before \(t.id)") }
        }
    }
}
