import DigiTagIO
import Foundation
import Query
import Testing
@testable import WebApp

/// A profile's class across the retained runs and its changes since the previous run, against classes.csv
/// and tags.csv of the fixture's runs; scoped by region and sensitivity like the rest of the profile.
@Suite struct ProfileHistoryTests {
    /// Each run's class by USCC, from its classes.csv.
    static let classesByRun: [[String: String]] = WebFixture.asOfs.map { day in
        Dictionary(uniqueKeysWithValues: WebFixture.classes(of: day).map { ($0["uscc"]!, $0["class"]!) })
    }

    /// A column of a run's tags.csv by USCC.
    static func tagColumn(_ day: String, _ tag: String) -> [String: String] {
        var rows: [[String]] = []
        try! CSVReader(path: WebFixture.run(day) + "/tags.csv").read(onRow: { rows.append($0.strings) }, onSyntaxProblem: { fatalError("\($0)") })
        let header = rows.removeFirst()
        let k = header.firstIndex(of: tag)!
        return Dictionary(uniqueKeysWithValues: rows.map { ($0[0], $0[k]) })
    }

    static func profile(_ user: String, _ uscc: String) async throws -> [String: Any] {
        let body = try await WebFixture.service().withAgent { agent in
            try await agent.signIn(user)
            return try await agent.get("/api/enterprises/\(uscc)").body
        }
        return try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
    }

    @Test("the class in each retained run and the class move since the previous one, as classes.csv has them")
    func classHistory() async throws {
        let jinan = WebFixture.enterprises(inRegion: "3701").map { $0["uscc"]! }
        // An enterprise of Jinan whose class changed between the last two runs.
        let moved = try #require(jinan.first { u in Self.classesByRun[1][u].map { $0 != Self.classesByRun[2][u] } == true })
        let json = try await Self.profile("jinan", moved)
        let history = json["class_history"] as! [[String: Any]]
        #expect(history.map { $0["as_of"] as! String } == WebFixture.asOfs)
        #expect(history.map { $0["class"] as? String } == Self.classesByRun.map { $0[moved] })
        let changes = json["changes"] as! [String: Any]
        #expect(changes["previous_as_of"] as? String == WebFixture.asOfs[1])
        let fields = changes["fields"] as! [[String: Any]]
        let cls = try #require(fields.first { $0["field"] as? String == "class" })
        #expect(cls["before"] as? String == Self.classesByRun[1][moved])
        #expect(cls["after"] as? String == Self.classesByRun[2][moved])
        let page = try await WebFixture.service().withAgent { agent in
            try await agent.signIn("jinan")
            return try await agent.get("/enterprise/\(moved)").body
        }
        #expect(page.contains("<svg") && page.contains("历次运行的类别"))
        #expect(page.contains("变化 Changes since the previous run"))
    }

    @Test("changes leave out tags above the role's level, directly or through a derived tag")
    func changesRespectSensitivity() async throws {
        // tax.filing.amount.1y is confidential (50-tax.yaml) and moves with every quarter's filings.
        let tag = "tax.filing.amount.1y"
        let before = Self.tagColumn(WebFixture.asOfs[1], tag)
        let after = Self.tagColumn(WebFixture.asOfs[2], tag)
        let jinan = Set(WebFixture.enterprises(inRegion: "3701").map { $0["uscc"]! })
        let changed = try #require(after.keys.sorted().first { jinan.contains($0) && before[$0] != nil && before[$0] != after[$0] })
        func fields(_ json: [String: Any]) -> Set<String> {
            Set(((json["changes"] as! [String: Any])["fields"] as! [[String: Any]]).map { $0["field"] as! String })
        }
        let city = fields(try await Self.profile("jinan", changed))
        let province = fields(try await Self.profile("prov", changed))
        #expect(province.contains(tag))
        #expect(!city.contains(tag))
        #expect(!city.contains("derived.tax_bad"))
    }

    @Test("outside the user's region no run shows a class: the history is cut to the region like the profile")
    func historyScope() throws {
        let runs = PublishedRuns(root: WebFixture.runs, pipeline: WebFixture.runPipeline)
        let snapshot = try runs.current()
        let qingdao = RouteRoleMatrixTests.qingdao
        let key = try USCCParse.key(qingdao)
        let raw = try #require(try snapshot.withStore { try EnterpriseProfile.lookup(uscc: key, reader: $0.reader, run: snapshot.directory) })
        let ordinal = try #require(try snapshot.withStore { try $0.reader.ordinal(of: key) })
        func user(_ name: String, _ role: Role, _ region: String) -> AccessPolicy {
            AccessPolicy(user: User(name: name, passwordHash: "", role: role, region: RegionScope(region)!), clearance: snapshot.clearance)
        }
        let outside = try ProfileHistory.gather(key: key, ordinal: ordinal, raw: raw, policy: user("j", .cityAnalyst, "3701"), snapshot: snapshot, runs: runs)
        let inside = try ProfileHistory.gather(key: key, ordinal: ordinal, raw: raw, policy: user("q", .cityAnalyst, "3702"), snapshot: snapshot, runs: runs)
        #expect(outside.classes.count == 3 && outside.classes.allSatisfy { $0.riskClass == nil })
        #expect(outside.changes.changes.isEmpty)
        #expect(inside.classes.map(\.riskClass) == Self.classesByRun.map { $0[qingdao] })
    }
}
