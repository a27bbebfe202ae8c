import DigiTagBase
import Foundation
import Query
import TestSupport
import Testing
@testable import WebApp

/// What `make load` stresses, checked for correctness on SampleData: the store reader pool answers many
/// requests at once exactly as one at a time; the segment page (one evaluation, only the page formatted, a
/// cache per run) gives the counts and rows `digitag query` gives; the cache follows a newly published run;
/// the audit log's group commit keeps every line, in chain order.
@Suite struct ServeConcurrencyTests {
    static let expressions = [
        "class in ['C','D']", "abnormal.listed or reg.registered_capital < 50", "not inspection.any.1y and class in ['B','C','D']",
        "city == '济南市'", "reg.registered_capital >= 1000",
    ]

    /// Signs in once and returns the session cookie for agents that share it.
    static func cookies(_ service: WebService, user: String) async throws -> [String: String] {
        try await service.withAgent { agent in
            try await agent.signIn(user)
            return agent.cookies
        }
    }

    @Test("64 profile and count requests at once answer exactly as the same requests one at a time")
    func concurrentEqualsSequential() async throws {
        let service = try WebFixture.service(ownRuns: true)
        let cookies = try await Self.cookies(service, user: "prov")
        let usccs = WebFixture.classes.map { $0["uscc"]! }
        var paths: [String] = []
        for k in 0..<48 { paths.append("/api/enterprises/" + usccs[(k * 41) % usccs.count]) }
        for k in 0..<16 { paths.append("/api/segments?expr=" + HTML.queryValue(Self.expressions[k % Self.expressions.count]) + "&page=\(1 + k % 2)") }
        let client = InProcessClient(service)
        @Sendable func fetch(_ path: String) async throws -> (Int, String) {
            let agent = Agent(client)
            agent.cookies = cookies
            let a = try await agent.get(path)
            return (a.status, a.body)
        }
        var sequential: [String: (Int, String)] = [:]
        for p in paths { sequential[p] = try await fetch(p) }
        let concurrent = try await withThrowingTaskGroup(of: (String, Int, String).self) { group in
            for p in paths + paths { group.addTask { let (s, b) = try await fetch(p); return (p, s, b) } }
            var out: [(String, Int, String)] = []
            for try await r in group { out.append(r) }
            return out
        }
        #expect(concurrent.count == 2 * paths.count)
        for (p, status, body) in concurrent {
            #expect(status == 200, "\(p)")
            #expect(body == sequential[p]!.1, "\(p) answered differently under concurrency")
        }
        // Every reader went back to the pool.
        let snapshot = try service.runs.current()
        #expect(snapshot.pool.idleCount == snapshot.pool.size)
        #expect(snapshot.pool.size >= 2)
        // One audit line per request, and the chain verifies.
        let (entries, _) = try AuditChain.verify(service.auditLog.path)
        #expect(entries.filter { $0.action == "profile" || $0.action == "segment.count" }.count == 3 * paths.count)
    }

    /// The old page's answer, from the query engine alone (what `digitag query … --by region,class` and
    /// `digitag query … --columns region,class,score` print), cut to the scope.
    static func expected(_ expression: String, scope: String, snapshot: RunSnapshot) throws -> (
        total: Int, byCounty: [String: Int], byCity: [String: Int], byClass: [String: Int], rows: [[String]]
    ) {
        try snapshot.withStore { q in
            let counts = try q.groupCounts(expression, by: ["region", "class"])
            var byCounty: [String: Int] = [:]
            var byCity: [String: Int] = [:]
            var byClass: [String: Int] = [:]
            var total = 0
            let c = counts.header.firstIndex(of: "class")!
            for row in counts.rows where row[0].hasPrefix(scope) {
                let n = Int(row.last!)!
                total += n
                byCounty[row[0], default: 0] += n
                byCity[String(row[0].prefix(4)), default: 0] += n
                byClass[row[c], default: 0] += n
            }
            let rows = try q.list(expression, columns: ["region", "class", "score"]).rows.filter { $0[2].hasPrefix(scope) }
            return (total, byCounty, byCity, byClass, rows)
        }
    }

    @Test("the segment page (one evaluation, the page alone formatted) gives digitag query's counts and rows, in every scope and page")
    func segmentsMatchQuery() throws {
        let service = try WebFixture.service()
        let snapshot = try service.runs.current()
        for (user, scope) in [("prov", "37"), ("jinan", "3701"), ("lixia", "370102")] {
            let person = service.users.users.first { $0.name == user }!
            let policy = AccessPolicy(user: person, clearance: snapshot.clearance)
            for expression in Self.expressions {
                let want = try Self.expected(expression, scope: scope, snapshot: snapshot)
                let pages = max(1, (want.total + 9) / 10)
                for page in [1, 2, pages, pages + 1] {
                    let got = try SegmentService.run(expression, policy: policy, snapshot: snapshot, page: page, pageSize: 10)
                    #expect(got.total == want.total, "\(user) \(expression)")
                    #expect(Dictionary(uniqueKeysWithValues: got.byCounty.map { ($0.key, $0.count) }) == want.byCounty)
                    #expect(Dictionary(uniqueKeysWithValues: got.byCity.map { ($0.key, $0.count) }) == want.byCity)
                    if policy.sees(tag: "class") {
                        #expect(Dictionary(uniqueKeysWithValues: got.byClass.map { ($0.key, $0.count) }) == want.byClass)
                    } else {
                        #expect(got.byClass.isEmpty)
                    }
                    let slice = Array(want.rows.dropFirst((page - 1) * 10).prefix(10))
                    #expect(got.rows.map(\.uscc) == slice.map { $0[0] }, "\(user) \(expression) page \(page)")
                    #expect(got.rows.map(\.name) == slice.map { $0[1] })
                    #expect(got.rows.map(\.region) == slice.map { $0[2] })
                    if policy.sees(tag: "class") {
                        #expect(got.rows.map(\.riskClass) == slice.map { $0[3] })
                        #expect(got.rows.map(\.score) == slice.map { $0[4] })
                    }
                }
            }
        }
        // Answered from the cache from the second page on: one entry per (expression, scope).
        #expect(snapshot.segments.count == 3 * Self.expressions.count)
        // The CSV of a segment lists the same enterprises as the pages.
        let person = service.users.users.first { $0.name == "jinan" }!
        let policy = AccessPolicy(user: person, clearance: snapshot.clearance)
        let csv = try SegmentService.csv(
            Self.expressions[0], columns: [], policy: policy, snapshot: snapshot, scratch: TestPaths.temporaryDirectory("segment-csv"))
        #expect(csv.rows == (try Self.expected(Self.expressions[0], scope: "3701", snapshot: snapshot)).total)
    }

    @Test("the same expression typed with other spacing is one cache entry; quoted text keeps its spaces")
    func cacheKey() {
        #expect(SegmentCache.key("  class  in ['C','D']\n", scope: "37") == SegmentCache.key("class in ['C','D']", scope: "37"))
        #expect(SegmentCache.key("name == 'a  b'", scope: "37") != SegmentCache.key("name == 'a b'", scope: "37"))
        #expect(SegmentCache.key("class == 'D'", scope: "37") != SegmentCache.key("class == 'D'", scope: "3701"))
    }

    @Test("the cache holds at most its capacity, least recently used dropped first; capacity 0 holds nothing")
    func cacheBounds() {
        let m = SegmentMatches(ordinals: [1, 2, 3], table: [3], width: 1)
        let cache = SegmentCache(capacity: 2)
        let a = SegmentCache.key("a", scope: "37")
        let b = SegmentCache.key("b", scope: "37")
        let c = SegmentCache.key("c", scope: "37")
        cache.store(m, for: a)
        cache.store(m, for: b)
        #expect(cache.value(a) != nil)  // a is now more recent than b
        cache.store(m, for: c)
        #expect(cache.count == 2 && cache.value(b) == nil && cache.value(a) != nil && cache.value(c) != nil)
        let small = SegmentCache(capacity: 8, maxOrdinals: 5)
        small.store(m, for: a)
        small.store(m, for: b)
        #expect(small.count == 1 && small.value(b) != nil)
        let none = SegmentCache(capacity: 0)
        none.store(m, for: a)
        #expect(none.value(a) == nil && none.count == 0)
    }

    @Test("a newly published current gets a fresh segment cache: the counts follow the new run")
    func cacheFollowsPublish() async throws {
        let root = TestPaths.temporaryDirectory("web-runs-republish")
        for day in WebFixture.asOfs { try FileManager.default.createSymbolicLink(atPath: root + "/" + day, withDestinationPath: WebFixture.run(day)) }
        try FileManager.default.createSymbolicLink(atPath: root + "/current", withDestinationPath: WebFixture.asOfs[1])
        let service = try WebFixture.service(runs: root)
        let cookies = try await Self.cookies(service, user: "prov")
        let expression = "class == 'D' and abnormal.listed"
        func total() async throws -> Int {
            let agent = Agent(InProcessClient(service))
            agent.cookies = cookies
            let a = try await agent.get("/api/segments?expr=" + HTML.queryValue(expression))
            #expect(a.status == 200)
            return (try JSONSerialization.jsonObject(with: Data(a.body.utf8)) as! [String: Any])["total"] as! Int
        }
        let before = try service.runs.current()
        let first = try await total()
        #expect(first == (try Self.expected(expression, scope: "37", snapshot: before)).total)
        #expect(try await total() == first)
        #expect(before.segments.count == 1)
        // Publish: `current` moves to the next run, as the nightly run's rename does.
        try FileManager.default.removeItem(atPath: root + "/current")
        try FileManager.default.createSymbolicLink(atPath: root + "/current", withDestinationPath: WebFixture.asOfs[2])
        let after = try service.runs.current()
        #expect(after !== before)
        let want = try Self.expected(expression, scope: "37", snapshot: after).total
        #expect(want != first, "the fixture's runs must differ for this test to mean anything")
        #expect(try await total() == want)
        #expect(after.segments.count == 1)
    }
}

@Suite struct AuditGroupCommitTests {
    @Test("400 appends from 16 threads at once: every line is there once, the chain verifies, fsyncs are shared")
    func concurrentAppends() throws {
        let path = TestPaths.temporaryDirectory("audit-group-commit") + "/audit.log"
        let log = try AuditLog(path: path)
        let threads = 16
        let each = 25
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for k in 0..<each {
                try! log.append(
                    AuditEntry(
                        time: Date(timeIntervalSince1970: 1_735_689_600), user: "u\(t)", role: "r", address: "127.0.0.1", action: "profile",
                        subject: "\(t)-\(k)", size: 1, outcome: "ok"))
            }
        }
        let (entries, head) = try AuditChain.verify(path)
        #expect(entries.count == threads * each)
        #expect(Set(entries.map(\.subject)) == Set((0..<threads).flatMap { t in (0..<each).map { "\(t)-\($0)" } }))
        // Each thread's own lines keep their order.
        for t in 0..<threads {
            #expect(entries.filter { $0.user == "u\(t)" }.map(\.subject) == (0..<each).map { "\(t)-\($0)" })
        }
        let lines = TestPaths.read(path).split(separator: "\n")
        #expect(head == AuditChain.hash(lines.last!))
        #expect(log.syncCount >= 1 && log.syncCount <= threads * each)
        // A log reopened after the run continues the same chain.
        let reopened = try AuditLog(path: path)
        try reopened.append(
            AuditEntry(time: Date(timeIntervalSince1970: 1_735_689_601), user: "u", role: "r", address: "", action: "profile", subject: "last", size: 1, outcome: "ok"))
        #expect(try AuditChain.verify(path).entries.count == threads * each + 1)
    }

    @Test("concurrent appends across a daily rotation: both files verify as one chain with every line")
    func concurrentAcrossRotation() throws {
        let path = TestPaths.temporaryDirectory("audit-group-rotate") + "/audit.log"
        let log = try AuditLog(path: path, rotation: .daily)
        let day1 = Date(timeIntervalSince1970: 1_735_689_600)  // 2025-01-01
        // The second day's first append rotates the file while the other threads' appends of that day queue behind it.
        for (phase, time) in [day1, day1.addingTimeInterval(86_400)].enumerated() {
            DispatchQueue.concurrentPerform(iterations: 8) { t in
                for k in 0..<5 {
                    try! log.append(
                        AuditEntry(time: time, user: "u\(t)", role: "r", address: "", action: "profile", subject: "\(phase)-\(t)-\(k)", size: 1, outcome: "ok"))
                }
            }
        }
        let files = AuditRotation.files(of: path)
        #expect(files.count == 2)
        let checked = try AuditChain.verify(files: files)
        let subjects = checked.entries.filter { $0.action == "profile" }.map(\.subject)
        #expect(subjects.count == 80 && Set(subjects).count == 80)
    }
}
