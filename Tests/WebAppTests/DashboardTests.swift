import Foundation
import TestSupport
import Testing
@testable import WebApp

/// The dashboard's counts and trend, each user's own area, against classes.csv of the fixture's three runs
/// (read independently of the server's census).
@Suite struct DashboardTests {
    static func dashboard(_ user: String) async throws -> [String: Any] {
        let body = try await WebFixture.service().withAgent { agent in
            try await agent.signIn(user)
            return try await agent.get("/api/dashboard").body
        }
        return try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
    }

    /// `[area: [class: count]]` from classes.csv of a run, for enterprises inside `scope`, areas cut to `digits`.
    static func expected(_ day: String, scope: String, digits: Int) -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for row in WebFixture.classes(of: day) where row["region"]!.hasPrefix(scope) {
            out[String(row["region"]!.prefix(digits)), default: [:]][row["class"]!, default: 0] += 1
        }
        return out
    }

    static func areas(_ json: [String: Any]) -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for a in json["areas"] as! [[String: Any]] { out[a["code"] as! String] = a["classes"] as? [String: Int] }
        return out
    }

    @Test("the province analyst's dashboard: classes by city for the whole province")
    func province() async throws {
        let json = try await Self.dashboard("prov")
        let want = Self.expected(WebFixture.asOfs.last!, scope: "37", digits: 4)
        #expect(want.count > 1)
        #expect(Self.areas(json) == want)
        #expect(json["enterprises"] as? Int == WebFixture.classes.count)
    }

    @Test("a city analyst's dashboard: Jinan's counties only; a county inspector's: Lixia only")
    func cityAndCounty() async throws {
        let jinan = try await Self.dashboard("jinan")
        let wantJinan = Self.expected(WebFixture.asOfs.last!, scope: "3701", digits: 6)
        #expect(wantJinan.count > 1)
        #expect(Self.areas(jinan) == wantJinan)
        #expect(jinan["enterprises"] as? Int == WebFixture.enterprises(inRegion: "3701").count)
        let lixia = try await Self.dashboard("lixia")
        #expect(Self.areas(lixia) == Self.expected(WebFixture.asOfs.last!, scope: "370102", digits: 6))
        #expect(Self.areas(lixia).keys.sorted() == ["370102"])
    }

    @Test("the trend: each retained run's classes in the user's area, oldest first")
    func trend() async throws {
        for (user, scope) in [("prov", "37"), ("jinan", "3701")] {
            let json = try await Self.dashboard(user)
            let trend = json["trend"] as! [[String: Any]]
            #expect(trend.map { $0["as_of"] as! String } == WebFixture.asOfs, "\(user)")
            for (point, day) in zip(trend, WebFixture.asOfs) {
                let want = Self.expected(day, scope: scope, digits: 0)[""] ?? [:]
                #expect(point["classes"] as? [String: Int] == want, "\(user) \(day)")
                #expect(point["total"] as? Int == want.values.reduce(0, +))
            }
        }
    }

    @Test("changes since the previous run: the class moves inside the user's area, as the two classes.csv show them")
    func changes() async throws {
        let (before, after) = (WebFixture.classes(of: WebFixture.asOfs[1]), WebFixture.classes(of: WebFixture.asOfs[2]))
        let was = Dictionary(uniqueKeysWithValues: before.map { ($0["uscc"]!, $0["class"]!) })
        for (user, scope) in [("prov", "37"), ("jinan", "3701")] {
            let moved = after.filter { row in row["region"]!.hasPrefix(scope) && was[row["uscc"]!].map { $0 != row["class"]! } == true }
            let up = moved.filter { row in row["class"]! > was[row["uscc"]!]! }.count
            let json = try await Self.dashboard(user)
            let changes = json["changes"] as! [String: Any]
            #expect(changes["from"] as? String == WebFixture.asOfs[1])
            #expect(changes["class_up"] as? Int == up, "\(user)")
            #expect(changes["class_down"] as? Int == moved.count - up, "\(user)")
            let listed = (changes["class_changes"] as! [[String: Any]]).map { $0["uscc"] as! String }
            #expect(Set(listed) == Set(moved.map { $0["uscc"]! }))
        }
    }

    @Test("the page draws the trend as inline SVG and names no outside address")
    func page() async throws {
        let page = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("jinan")
            return try await agent.get("/dashboard")
        }
        #expect(page.status == 200)
        #expect(page.body.contains("<svg"))
        #expect(page.body.contains("<polyline"))
        #expect(!page.body.contains("http://") && !page.body.contains("https://") && !page.body.contains("<script"))
        #expect(page.body.contains("概览 Dashboard"))
    }

    @Test("the province's dashboard shows the run's back-test with `model report`'s numbers; a city's does not")
    func backTest() async throws {
        let prov = try await Self.dashboard("prov")
        let stored = try #require(prov["backtest"] as? [String: Any])
        // The runs before the current one, one a month.
        let earlier = Array(WebFixture.asOfs.dropLast())
        #expect(stored["runs"] as? [String] == earlier)
        let r = try ProcessRunner.run(
            ProcessRunner.digitag,
            ["model", "report", "--runs", WebFixture.runs, "--input", TestPaths.repo("SampleData"), "--format", "json"] + earlier.flatMap { ["--run", $0] })
        #expect(r.status == 0, "\(r.stderr)")
        let command = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let report = try #require(stored["report"] as? [String: Any])
        let pooled = report["pooled_random"] as! [String: Any]
        let want = command["pooled_random"] as! [String: Any]
        #expect((pooled as NSDictionary).isEqual(to: want))
        #expect((report["runs"] as! NSArray).isEqual(to: command["runs"] as! [Any]))

        // The page: the class table's counts and rates are the JSON's; the ROC curve is drawn.
        let page = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("prov")
            return try await agent.get("/dashboard").body
        }
        #expect(page.contains("<section id=\"backtest\">"))
        for row in want["by_class"] as! [[String: Any]] where (row["units"] as! Int) > 0 {
            let rate = (row["rate"] as! [String: Any])["rate"] as! Double
            let cells = "<td>\(row["key"] as! String)</td><td class=\"num\">\(row["units"] as! Int)</td><td class=\"num\">\(row["positives"] as! Int)</td>"
                + "<td class=\"num\">\(String(format: "%.1f%%", rate * 100))</td>"
            #expect(page.contains(cells), "\(cells)")
        }
        // A city analyst's dashboard is the city's: the province's back-test is not on it.
        let jinan = try await Self.dashboard("jinan")
        #expect(jinan["backtest"] == nil)
        let jinanPage = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("jinan")
            return try await agent.get("/dashboard").body
        }
        #expect(!jinanPage.contains("id=\"backtest\""))
    }
}
