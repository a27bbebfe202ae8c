import Foundation
import Testing
@testable import WebApp

/// Tags above a role's clearance: refused in expressions (directly and through a derived tag), absent
/// from profiles and exports; personal information masked.
@Suite struct SensitivityTests {
    static let lixia = RouteRoleMatrixTests.lixia

    func answer(_ user: String, _ uri: String) async throws -> Agent.Answer {
        try await WebFixture.service().withAgent { agent in
            try await agent.signIn(user)
            return try await agent.get(uri)
        }
    }

    @Test("an internal role asking for a confidential tag gets the clear message")
    func direct() async throws {
        let a = try await answer("jinan", "/api/segments?expr=" + HTML.queryValue("tax.rating == 'D'"))
        #expect(a.status == 403)
        #expect(a.body.contains("tax.rating is confidential; your role sees up to internal"))
        let page = try await answer("jinan", "/segments?expr=" + HTML.queryValue("tax.rating == 'D'"))
        #expect(page.status == 403)
        #expect(page.body.contains("tax.rating is confidential; your role sees up to internal"))
    }

    @Test("a derived tag declared internal that reads a confidential one is refused, naming both")
    func throughDerivedTag() async throws {
        let a = try await answer("jinan", "/api/segments?expr=derived.tax_bad")
        #expect(a.status == 403)
        #expect(a.body.contains("derived.tax_bad reads tax.rating, which is confidential; your role sees up to internal"))
        // The province analyst may.
        #expect(try await answer("prov", "/api/segments?expr=derived.tax_bad").status == 200)
    }

    @Test("a confidential tag as an export column is refused; the export itself has no confidential column")
    func export() async throws {
        let refused = try await answer("jinan", "/api/segments.csv?expr=abnormal.listed&columns=tax.rating")
        #expect(refused.status == 403)
        #expect(refused.body.contains("tax.rating is confidential"))
        let viaDerived = try await answer("jinan", "/api/segments.csv?expr=abnormal.listed&columns=derived.tax_bad")
        #expect(viaDerived.status == 403)
        let allowed = try await answer("jinan", "/api/segments.csv?expr=abnormal.listed&columns=abnormal.listed")
        #expect(allowed.status == 200)
        #expect(Array(allowed.bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let header = allowed.body.dropFirst().prefix { $0 != "\n" }
        #expect(header == "uscc,name,region,region_name,class,score,abnormal.listed")
    }

    @Test("profiles leave out confidential tags (own or inherited) below that clearance, and keep them for the province")
    func profileTags() async throws {
        let city = try await answer("jinan", "/api/enterprises/\(Self.lixia)?all=1")
        let province = try await answer("prov", "/api/enterprises/\(Self.lixia)?all=1")
        #expect(city.status == 200 && province.status == 200)
        for id in ["\"tax.rating\"", "\"derived.tax_bad\"", "\"targeted."] {
            #expect(!city.body.contains(id), "\(id) shown to a city analyst")
            #expect(province.body.contains(id), "\(id) missing for the province analyst")
        }
        // Internal tags stay.
        #expect(city.body.contains("\"abnormal.listed\""))
        // The HTML page the same way.
        let page = try await answer("jinan", "/enterprise/\(Self.lixia)?all=1")
        #expect(!page.body.contains(">tax.rating<"))
        #expect(page.body.contains(">abnormal.listed<"))
    }

    @Test("reasons that rest on a confidential tag are hidden, in codes and in Chinese alike")
    func reasons() throws {
        let clearance = TagClearance(catalog: WebFixture.definition.catalog, risk: WebFixture.definition.risk)
        let city = AccessPolicy(user: User(name: "x", passwordHash: "$2b$", role: .cityAnalyst, region: RegionScope("3701")!), clearance: clearance)
        let taxEntry = try #require(WebFixture.definition.risk.entries.first { e in e.tagIndex.map { WebFixture.definition.catalog.tags[$0].id == "tax.rating" } ?? false })
        let openEntry = try #require(WebFixture.definition.risk.entries.first { clearance.reasons[$0.id]?.sensitivity == .internal })
        let (codes, zh) = city.visibleReasons(
            codes: "\(taxEntry.id)=D(+25); \(openEntry.id)(+10)", zh: "\(taxEntry.nameZh)=D（+25）；\(openEntry.nameZh)（+10）")
        #expect(codes == "hidden(confidential); \(openEntry.id)(+10)")
        #expect(zh == "（机密原因，已隐藏）；\(openEntry.nameZh)（+10）")
    }

    @Test("the legal representative's name and ID are masked without personal_info, and refused in expressions")
    func personalInformation() async throws {
        let clearance = TagClearance(catalog: WebFixture.definition.catalog, risk: WebFixture.definition.risk)
        let profile = EnterpriseProfileSample.make()
        let city = AccessPolicy(user: User(name: "x", passwordHash: "$2b$", role: .cityAnalyst, region: RegionScope("3701")!), clearance: clearance)
        let manager = AccessPolicy(user: User(name: "y", passwordHash: "$2b$", role: .inspectionManager, region: RegionScope("3701")!), clearance: clearance)
        #expect(city.visible(profile).facts.first { $0.key == "legal_rep_id" }?.value == AccessPolicy.masked)
        #expect(manager.visible(profile).facts.first { $0.key == "legal_rep_id" }?.value == "P9701681514")
        #expect(throws: AccessRefusal.self) { try city.check(expression: "reg.legal_rep_id == 'P9701681514'") }
        #expect(throws: Never.self) { try manager.check(expression: "reg.legal_rep_id == 'P9701681514'") }
    }
}
