import DigiTagBase
import Hummingbird
import Foundation
import Testing
@testable import WebApp

/// The pages: escaped, bilingual, without scripts; the query's error messages with their caret.
@Suite struct PageTests {
    @Test("what a user types is escaped in every page")
    func escaping() async throws {
        let (search, segment) = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("prov")
            return (
                try await agent.get("/search?q=" + HTML.queryValue("<script>alert(1)</script>")).body,
                try await agent.get("/segments?expr=" + HTML.queryValue("name == '<b>x</b>'")).body
            )
        }
        #expect(!search.contains("<script>"))
        #expect(search.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!segment.contains("<b>x</b>"))
        #expect(HTMLText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
    }

    @Test("a wrong expression gets the CLI's message with its caret and hint")
    func expressionErrors() async throws {
        let (page, api) = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("jinan")
            return (
                try await agent.get("/segments?expr=" + HTML.queryValue("abnormal.listd")),
                try await agent.get("/api/segments?expr=" + HTML.queryValue("abnormal.listd"))
            )
        }
        #expect(page.status == 400 && api.status == 400)
        #expect(page.body.contains("query:1: error:"))
        #expect(page.body.contains("^"))
        #expect(page.body.contains("abnormal.listed"))  // did you mean
    }

    @Test("pages load nothing from elsewhere and run no script; every answer forbids both")
    func noScripts() async throws {
        let a = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("prov")
            return try await agent.get("/enterprise/\(RouteRoleMatrixTests.lixia)")
        }
        #expect(!a.body.contains("<script"))
        #expect(!a.body.contains("http://") && !a.body.contains("https://"))
        #expect(a.header("Content-Security-Policy")?.contains("default-src 'none'") == true)
        #expect(a.body.contains("登记信息 Registration"))
    }

    @Test("a profile shows the non-default values first, all of them with ?all=1")
    func profileDefaults() async throws {
        let (some, all) = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("prov")
            return (
                try await agent.get("/api/enterprises/\(RouteRoleMatrixTests.lixia)").body,
                try await agent.get("/api/enterprises/\(RouteRoleMatrixTests.lixia)?all=1").body
            )
        }
        func tagCount(_ s: String) -> Int { s.components(separatedBy: "\"name_zh\"").count }
        #expect(tagCount(some) < tagCount(all))
        #expect(!some.contains("\"value\": false"))
        #expect(all.contains("\"value\": false"))
    }

    @Test("a searched USCC opens the profile; a name fragment lists exact, then prefix, then other matches")
    func search() async throws {
        let code = RouteRoleMatrixTests.lixia
        let name = WebFixture.classes.first { $0["uscc"] == code }!["name"]!
        let (byCode, byName) = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("prov")
            return (try await agent.get("/search?q=\(code.lowercased())"), try await agent.get("/api/search?q=" + HTML.queryValue(name)).body)
        }
        #expect(byCode.status == 303 && byCode.location == "/enterprise/\(code)")
        let hits = (try JSONSerialization.jsonObject(with: Data(byName.utf8)) as! [String: Any])["hits"] as! [[String: Any]]
        #expect(hits.first?["uscc"] as? String == code)
    }
}

/// The segment page's counts by class: keyed by class (not by the county name beside the region), equal to
/// classes.csv's count of the same enterprises.
@Suite struct SegmentCountTests {
    @Test("counts by class of a city analyst's segment are the classes.csv counts of the city")
    func byClass() async throws {
        let json = try await WebFixture.service().withAgent { agent in
            _ = try await agent.signIn("jinan")
            return try await agent.get("/api/segments?expr=" + HTML.queryValue("class in ['C','D']")).body
        }
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let byClass = try #require(object["by_class"] as? [[String: Any]])
        var got: [String: Int] = [:]
        for c in byClass { got[c["key"] as! String] = c["count"] as? Int }
        var expected: [String: Int] = [:]
        for e in WebFixture.enterprises(inRegion: "3701") where ["C", "D"].contains(e["class"]!) { expected[e["class"]!, default: 0] += 1 }
        #expect(!expected.isEmpty)
        #expect(got == expected)
    }
}
