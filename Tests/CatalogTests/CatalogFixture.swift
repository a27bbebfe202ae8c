import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import TestSupport

/// The real schemas and code tables from Pipelines/, for compiling test catalogs.
enum CatalogFixture {
    static let sources: SourceCatalog = {
        let regions = try! ReferenceTable.load(TestPaths.repo("Pipelines/regions.csv"), requiredColumns: ["code", "city_code"])
        let industries = try! ReferenceTable.load(TestPaths.repo("Pipelines/industries.csv"), requiredColumns: ["code", "section"])
        return try! SourceCatalog.load(path: TestPaths.repo("Pipelines/sources.yaml"), regions: regions, industries: industries)
    }()

    /// Compiles one tag file's text; returns the diagnostics (empty when it compiles).
    static func diagnostics(_ yaml: String, file: String = "tags/test.yaml") -> [Diagnostic] {
        var loader = CatalogLoader()
        loader.load(text: yaml, file: file)
        do {
            _ = try TagCatalog.compile(definitions: loader.definitions, loadDiagnostics: loader.diagnostics, sources: sources)
            return []
        } catch {
            return error.diagnostics
        }
    }

    static func compile(_ yaml: String) throws -> TagCatalog {
        var loader = CatalogLoader()
        loader.load(text: yaml, file: "tags/test.yaml")
        return try TagCatalog.compile(definitions: loader.definitions, loadDiagnostics: loader.diagnostics, sources: sources)
    }

    /// A one-tag file.
    static func tag(_ id: String, _ type: String, _ expr: String, extra: String = "") -> String {
        """
        dimension: supervision
        tags:
          - id: \(id)
            name_zh: 测试
            name_en: test
            type: \(type)
            expr: \(expr)
        \(extra)
        """
    }
}
