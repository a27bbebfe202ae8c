import Foundation
import Testing
@testable import WebApp

/// Counts and lists cover only the user's region; an enterprise elsewhere is "not found", exactly like one
/// that does not exist.
@Suite struct RegionScopeTests {
    func signedIn<R: Sendable>(_ user: String, _ body: @escaping @Sendable (Agent) async throws -> R) async throws -> R {
        try await WebFixture.service().withAgent { agent in
            try await agent.signIn(user)
            return try await body(agent)
        }
    }

    /// Every enterprise matches `score >= 0 or not (score >= 0)`; per city, the count must equal classes.csv's.
    static let everyone = HTML.queryValue("score >= 0 or not (score >= 0)")

    @Test("a city analyst's count covers their city only, by city and county too")
    func cityCount() async throws {
        let body = try await signedIn("jinan") { try await $0.get("/api/segments?expr=\(Self.everyone)").body }
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
        let jinan = WebFixture.enterprises(inRegion: "3701").count
        #expect(jinan > 0 && jinan < WebFixture.classes.count)
        #expect(json["total"] as? Int == jinan)
        #expect(json["enterprises_in_scope"] as? Int == jinan)
        let cities = (json["by_city"] as! [[String: Any]]).map { $0["key"] as! String }
        #expect(cities == ["3701"])
        let counties = (json["by_county"] as! [[String: Any]]).map { ($0["key"] as! String, $0["count"] as! Int) }
        for (county, n) in counties {
            #expect(county.hasPrefix("3701"))
            #expect(n == WebFixture.enterprises(inRegion: county).count, "\(county)")
        }
        // The province analyst sees the whole province.
        let all = try await signedIn("prov") { try await $0.get("/api/segments?expr=\(Self.everyone)").body }
        let allJSON = try JSONSerialization.jsonObject(with: Data(all.utf8)) as! [String: Any]
        #expect(allJSON["total"] as? Int == WebFixture.classes.count)
    }

    @Test("a county inspector's list and search show only their county")
    func countyList() async throws {
        let (segment, search) = try await signedIn("lixia") { agent in
            (try await agent.get("/api/segments?expr=\(Self.everyone)").body, try await agent.get("/api/search?q=%E5%85%AC%E5%8F%B8").body)
        }
        let rows = (try JSONSerialization.jsonObject(with: Data(segment.utf8)) as! [String: Any])["rows"] as! [[String: Any]]
        #expect(!rows.isEmpty)
        #expect(rows.allSatisfy { ($0["region"] as! String) == "370102" })
        let hits = (try JSONSerialization.jsonObject(with: Data(search.utf8)) as! [String: Any])["hits"] as! [[String: Any]]
        #expect(!hits.isEmpty)
        #expect(hits.allSatisfy { ($0["region"] as! String) == "370102" })
    }

    @Test("a name search through the name index counts and lists only the user's region, exact > prefix > substring")
    func nameSearchScope() async throws {
        let fragment = "济南"
        let (city, province) = try await (
            signedIn("jinan") { try await $0.get("/api/search?q=" + HTML.queryValue(fragment)).body },
            signedIn("prov") { try await $0.get("/api/search?q=" + HTML.queryValue(fragment)).body }
        )
        func read(_ body: String) -> (hits: [[String: Any]], total: Int) {
            let json = try! JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
            return (json["hits"] as! [[String: Any]], json["total"] as! Int)
        }
        // Counted independently from classes.csv: names holding the fragment, in Jinan or anywhere.
        let named = WebFixture.classes.filter { $0["name"]!.contains(fragment) }
        let inJinan = named.filter { $0["region"]!.hasPrefix("3701") }
        #expect(inJinan.count > 0 && inJinan.count < named.count)
        #expect(read(city).total == inJinan.count)
        #expect(read(province).total == named.count)
        #expect(read(city).hits.allSatisfy { ($0["region"] as! String).hasPrefix("3701") })
        // Names starting with the fragment come before names holding it further in.
        let starts = read(province).hits.map { ($0["name"] as! String).hasPrefix(fragment) }
        #expect(starts.firstIndex(of: false).map { k in !starts[k...].contains(true) } ?? true)
    }

    @Test("another city's enterprise and a code that exists nowhere get the same answer")
    func notFoundIsNotFound() async throws {
        let qingdao = RouteRoleMatrixTests.qingdao
        // A valid code (check character computed) that is in no run.
        let nowhere = DataContractTestCodes.unused
        let (a, b, c, d) = try await signedIn("jinan") { agent in
            (try await agent.get("/api/enterprises/\(qingdao)"), try await agent.get("/api/enterprises/\(nowhere)"),
             try await agent.get("/enterprise/\(qingdao)"), try await agent.get("/enterprise/\(nowhere)"))
        }
        #expect(a.status == 404 && b.status == 404)
        #expect(a.body == b.body)
        #expect(c.status == 404 && d.status == 404)
        #expect(c.body == d.body)
        #expect(!c.body.contains(qingdao))
    }

    @Test("search folds full-width characters and case, and gives the check character's verdict")
    func uscCInput() {
        let code = RouteRoleMatrixTests.lixia
        let fullWidth = String(String.UnicodeScalarView(code.unicodeScalars.map { s in
            s.isASCII && s.properties.isAlphabetic || ("0"..."9").contains(s) ? Unicode.Scalar(s.value + 0xFEE0)! : s
        }))
        #expect(USCCInput.read("\u{3000} " + fullWidth.lowercased() + " ") == .code(code, try! USCCParse.key(code)))
        var wrong = Array(code)
        wrong[17] = wrong[17] == "0" ? "1" : "0"
        guard case .invalid(_, let reason) = USCCInput.read(String(wrong)) else {
            Issue.record("a wrong check character was accepted")
            return
        }
        #expect(reason.contains("check"))
        #expect(USCCInput.read("\u{3000}兴隆（济南）Abc ") == .name("兴隆（济南）Abc"))
    }
}
