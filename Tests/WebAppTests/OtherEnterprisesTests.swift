import DigiTagIO
import Foundation
import TestSupport
import Testing
@testable import WebApp

/// The legal representative's other enterprises: only those inside the user's region, listed and counted;
/// checked against SampleData's registration files (legal_rep_id), read independently of the run.
@Suite struct OtherEnterprisesTests {
    /// legal_rep_id by USCC for the enterprises of the current run (the first record of a USCC counts).
    static let representative: [String: String] = {
        var out: [String: String] = [:]
        for file in ["enterprises.csv", "enterprises-handmade.csv"] {
            var rows: [[String]] = []
            try! CSVReader(path: TestPaths.repo("SampleData/market/" + file)).read(
                onRow: { rows.append($0.strings) }, onSyntaxProblem: { fatalError("\($0)") })
            let header = rows.removeFirst().map { $0.replacingOccurrences(of: "\u{FEFF}", with: "") }
            let (u, p) = (header.firstIndex(of: "uscc")!, header.firstIndex(of: "legal_rep_id")!)
            for r in rows where out[r[u]] == nil { out[r[u]] = r[p] }
        }
        let current = Set(WebFixture.classes.map { $0["uscc"]! })
        return out.filter { current.contains($0.key) && !$0.value.isEmpty }
    }()

    static let regionOf = Dictionary(uniqueKeysWithValues: WebFixture.classes.map { ($0["uscc"]!, $0["region"]!) })

    static func others(_ user: String, _ uscc: String) async throws -> (total: Int, list: [String], body: String) {
        let body = try await WebFixture.service().withAgent { agent in
            try await agent.signIn(user)
            return try await agent.get("/api/enterprises/\(uscc)").body
        }
        let json = try JSONSerialization.jsonObject(with: Data(body.utf8)) as! [String: Any]
        let o = json["other_enterprises"] as! [String: Any]
        return (o["total"] as! Int, (o["list"] as! [[String: Any]]).map { $0["uscc"] as! String }, body)
    }

    @Test("a Jinan enterprise whose legal representative has enterprises in other cities: the city analyst sees only Jinan's")
    func scoped() async throws {
        var members: [String: [String]] = [:]
        for (u, p) in Self.representative { members[p, default: []].append(u) }
        let candidate = try #require(
            members.values.filter { m in m.contains { Self.regionOf[$0]!.hasPrefix("3701") } && m.contains { !Self.regionOf[$0]!.hasPrefix("3701") } }
                .sorted { $0.count > $1.count }.first)
        let mine = candidate.first { Self.regionOf[$0]!.hasPrefix("3701") }!
        let everyOther = candidate.filter { $0 != mine }.sorted()
        let inJinan = everyOther.filter { Self.regionOf[$0]!.hasPrefix("3701") }
        let province = try await Self.others("prov", mine)
        #expect(province.total == everyOther.count)
        #expect(province.list == everyOther)
        let city = try await Self.others("jinan", mine)
        #expect(city.total == inJinan.count)
        #expect(city.list == inJinan)
        for outside in everyOther where !inJinan.contains(outside) { #expect(!city.body.contains(outside)) }
    }

    @Test("an enterprise whose legal representative has no other enterprise lists none")
    func alone() async throws {
        var count: [String: Int] = [:]
        for p in Self.representative.values { count[p, default: 0] += 1 }
        let single = try #require(Self.representative.keys.sorted().first { count[Self.representative[$0]!] == 1 })
        let r = try await Self.others("prov", single)
        #expect(r.total == 0 && r.list.isEmpty)
    }
}
