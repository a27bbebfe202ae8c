import Synchronization
import Hummingbird
import DigiTagBase
import DigiTagIO
import Foundation
import NightlyRun
import RunModel
import TestSupport
@testable import WebApp

/// Three published runs of SampleData (as of 2024-06-30, 2024-09-30 and 2024-12-31, the last `current`), made
/// once per test process with the shipped pipeline plus two derived tags, and a users file with one user per
/// role. `derived.tax_bad` is declared `internal` but reads the confidential `tax.rating`; `derived.big_capital`
/// reads only public registration data. The first run was made with that file declared `confidential`
/// instead: a catalog change between runs, which the server must follow run by run.
enum WebFixture {
    /// A copy of Pipelines/ with tags/99-derived.yaml added at `sensitivity`.
    static func pipelineCopy(_ name: String, sensitivity: String) -> String {
        let dir = TestPaths.temporaryDirectory(name) + "/Pipelines"
        try! FileManager.default.copyItem(atPath: TestPaths.repo("Pipelines"), toPath: dir)
        TestPaths.write(
            """
            dimension: other_departments
            sensitivity: \(sensitivity)
            tags:
              - id: derived.tax_bad
                name_zh: 纳税信用差
                name_en: Tax rating C or D
                type: boolean
                expr: "tax.rating in ['C', 'D']"
              - id: derived.big_capital
                name_zh: 注册资本千万以上
                name_en: Registered capital of 10 million yuan or more
                type: boolean
                expr: "reg.registered_capital >= 1000"

            """, to: dir, "tags/99-derived.yaml")
        return dir
    }

    static let pipelineDirectory = pipelineCopy("web-pipeline", sensitivity: "internal")
    static let pipeline = pipelineDirectory + "/shandong.yaml"
    static let definition: PipelineDefinition = try! PipelineDefinition.load(pipeline)
    /// The first run's pipeline: the same tags, their file declared confidential.
    static let earlierPipeline = pipelineCopy("web-pipeline-earlier", sensitivity: "confidential") + "/shandong.yaml"

    /// The as-of dates of the runs, oldest first; the last is `current`.
    static let asOfs = ["2024-06-30", "2024-09-30", "2024-12-31"]

    /// The runs folder (with `current`).
    static let runs: String = {
        let out = TestPaths.temporaryDirectory("web-runs")
        for (k, day) in asOfs.enumerated() {
            _ = try! Runner.run(
                RunOptions(pipeline: k == 0 ? earlierPipeline : pipeline, input: TestPaths.repo("SampleData"), asOf: Day(iso: day)!, output: out, threads: 2))
        }
        return out
    }()

    /// The folder of the run as of `day`.
    static func run(_ day: String) -> String { runs + "/" + day }

    /// classes.csv of a run, read with the project's CSV reader: the independent view of who is where.
    static func classes(of day: String) -> [[String: String]] {
        var rows: [[String]] = []
        try! CSVReader(path: run(day) + "/classes.csv").read(onRow: { rows.append($0.strings) }, onSyntaxProblem: { fatalError("\($0)") })
        let header = rows.removeFirst()
        return rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    /// Reads a run folder with the pipeline it was made with, as `digitag serve` does.
    @Sendable static func runPipeline(_ run: String) throws -> PipelineDefinition {
        try RunPipelineCopy.load(run: run, override: nil, fallback: pipeline)
    }

    /// classes.csv of the current run.
    static let classes: [[String: String]] = classes(of: asOfs.last!)

    static func enterprises(inRegion prefix: String) -> [[String: String]] { classes.filter { $0["region"]!.hasPrefix(prefix) } }

    static let password = "correct horse battery"

    /// One user per shipped role: the province, Jinan (3701), its county Lixia (370102).
    static let people: [(name: String, role: Role, region: String)] = [
        ("prov", .provinceAnalyst, "37"), ("jinan", .cityAnalyst, "3701"), ("lixia", .countyInspector, "370102"),
        ("manager", .inspectionManager, "3701"), ("auditor", .auditor, "37"),
    ]

    /// bcrypt at cost 4 (the lowest): the same checks as cost 12, fast enough for tests.
    static let usersFile: String = {
        let path = TestPaths.temporaryDirectory("web-users") + "/users.yaml"
        var directory = UserDirectory(path: path, users: [])
        for p in people {
            try! directory.set(
                User(name: p.name, passwordHash: UserDirectory.hash(password: password, cost: 4), role: p.role, region: RegionScope(p.region)!))
        }
        return path
    }()

    /// The users file with `prov` moved to a city analyst's role in Jinan (a role change).
    static let demotedUsersFile: String = {
        let path = TestPaths.temporaryDirectory("web-users-demoted") + "/users.yaml"
        var directory = UserDirectory(path: path, users: [])
        try! directory.set(
            User(name: "prov", passwordHash: UserDirectory.hash(password: password, cost: 4), role: .cityAnalyst, region: RegionScope("3701")!))
        return path
    }()

    /// The shared runs folder as the server reads it, opened once per test process: opening a run (its
    /// readers, compiled catalog, census and peer index, and the retained runs in the background) costs
    /// about a second of debug-build CPU per run, and ~80 services over the same immutable runs paid it
    /// each time. A test that inspects the readers or caches of its runs asks for `ownRuns`.
    static let sharedRuns: PublishedRuns = {
        let r = PublishedRuns(root: runs, pipeline: runPipeline)
        _ = try! r.current()
        for run in r.published() { _ = try! r.snapshot(directory: run.path) }
        return r
    }()

    /// A fresh service (its own audit log and sessions) over the shared runs (or another runs folder); its
    /// saved segments in its own file unless `savedSegments` names one to share. Over the shared folder the
    /// opened runs are shared too, unless `ownRuns`.
    static func service(
        runs: String = runs, users: String = usersFile, savedSegments: String? = nil, maxFailures: Int = 5, ownRuns: Bool = false,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) throws -> WebService {
        let dir = TestPaths.temporaryDirectory("web-serve")
        let config = ServeConfiguration(
            runs: runs, samples: dir + "/samples", usersFile: users, pipeline: pipeline, auditLog: dir + "/audit.log", trustProxy: true,
            maxFailures: maxFailures, scratch: dir, savedSegments: savedSegments)
        if runs == WebFixture.runs && !ownRuns {
            return WebService(
                configuration: config, users: try UserDirectory.load(users), runs: sharedRuns, auditLog: try AuditLog(path: config.auditLog, rotation: .daily),
                savedSegments: try SavedSegments.open(config.savedSegments), clock: clock)
        }
        let service = try WebService.open(config, pipeline: runPipeline)
        return WebService(
            configuration: config, users: service.users, runs: service.runs, auditLog: service.auditLog, savedSegments: service.savedSegments,
            clock: clock)
    }
}

/// A browser in miniature: keeps cookies, sends forms, reads the CSRF token from the pages.
final class Agent: @unchecked Sendable {
    // @unchecked: one test drives one agent, sequentially.
    let client: InProcessClient
    var cookies: [String: String] = [:]
    var address: String

    init(_ client: InProcessClient, address: String = "10.0.0.1") {
        self.client = client
        self.address = address
    }

    struct Answer {
        var status: Int
        var headers: HTTPFields
        var body: String
        var bytes: [UInt8]
        var location: String? { headers[.location] }
        func header(_ name: String) -> String? { headers.first { $0.name.canonicalName == name.lowercased() }?.value }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, form: [String: String]? = nil, headers extra: [String: String] = [:]) async throws -> Answer {
        var headers = HTTPFields()
        headers[.init("X-Forwarded-For")!] = address
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0)=\($1)" }.sorted().joined(separator: "; ") }
        for (k, v) in extra { headers[.init(k)!] = v }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\(HTML.queryValue($0))=\(HTML.queryValue($1))" }.joined(separator: "&"))
        }
        let r = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for c in r.headers[values: .setCookie] {
            let pair = c.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty { cookies[String(pair[0])] = nil } else { cookies[String(pair[0])] = value }
        }
        let bytes = r.body
        return Answer(status: Int(r.status.code), headers: r.headers, body: String(decoding: bytes, as: UTF8.self), bytes: bytes)
    }

    func get(_ uri: String) async throws -> Answer { try await send(.get, uri) }

    /// The value of the hidden csrf_token field of a page.
    static func csrfToken(_ page: String) -> String? {
        guard let r = page.range(of: "name=\"csrf_token\" value=\"") else { return nil }
        return String(page[r.upperBound...].prefix { $0 != "\"" })
    }

    /// Signs in through the form, as a browser would.
    @discardableResult
    func signIn(_ user: String, password: String = WebFixture.password) async throws -> Answer {
        let form = try await get("/login")
        return try await send(.post, "/login", form: ["csrf_token": Agent.csrfToken(form.body) ?? "", "user": user, "password": password])
    }
}

extension WebService {
    /// Runs `body` against this service in process (no sockets), with one agent.
    func withAgent<R: Sendable>(address: String = "10.0.0.1", _ body: @escaping @Sendable (Agent) async throws -> R) async throws -> R {
        try await body(Agent(InProcessClient(self), address: address))
    }
}

/// A clock the test moves by hand (sessions' idle timeout, lock-out duration).
final class TestClock: Sendable {
    let now = Mutex(Date(timeIntervalSince1970: 1_735_689_600))
    func read() -> Date { now.withLock { $0 } }
    func advance(minutes: Double) { now.withLock { $0 += minutes * 60 } }
}
