import DigiTagBase
import DigiTagIO
import Foundation
import Inspection
import Hummingbird
import TestSupport
@testable import WebApp

/// Services for the inspection task tests: the shared run, a fresh samples folder, results records written to a
/// scratch input folder (never into SampleData), and the draw the command line makes, for comparison.
enum TaskFixture {
    static let general = "SD-2025-GEN-01"
    static let generalFile = WebFixture.pipelineDirectory + "/tasks/general-2025.yaml"

    /// A fresh service whose uploaded results write their records under its own folder.
    static func service() throws -> WebService {
        let base = try WebFixture.service()
        var config = base.configuration
        config.resultsInput = TestPaths.temporaryDirectory("web-results-input")
        return WebService(configuration: config, users: base.users, runs: base.runs, auditLog: base.auditLog, savedSegments: base.savedSegments)
    }

    /// A fresh service with the general task drawn already (by the same function the draw route calls).
    static func drawnService() throws -> WebService {
        let s = try service()
        let t = InspectionTask.all(pipeline: s.configuration.pipeline, defaultTask: try s.runs.current().definition.defaultTask, samples: s.configuration.samples)
            .tasks.first { $0.id == general }!
        _ = try TaskService.draw(t, configuration: s.configuration, drawnAt: Date())
        return s
    }

    /// The general task drawn by the command line's path (`digitag sample --run <runs>/current --task … --out …`)
    /// into a folder of its own: the independent view of what the draw must write.
    static let commandLineDraw: String = {
        let out = TestPaths.temporaryDirectory("cli-sample") + "/" + general
        _ = try! SampleRunner.run(
            SampleRequest(runDirectory: WebFixture.runs + "/current", pipeline: WebFixture.pipeline, taskPath: generalFile, output: out))
        return out
    }()

    static func sampleFolder(_ s: WebService, _ task: String = general) -> String { s.configuration.samples + "/" + task }

    /// plan.csv rows as records, read with the project's CSV reader.
    static func plan(_ folder: String) throws -> [[String: String]] {
        var rows: [[String]] = []
        try CSVReader(path: folder + "/plan.csv").read(onRow: { rows.append($0.strings) }, onSyntaxProblem: { Issue.record("\($0)") })
        var header = rows.removeFirst()
        header[0] = String(header[0].drop { $0 == "\u{FEFF}" })
        return rows.map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
    }

    static func auditEntries(_ s: WebService) throws -> [AuditEntry] { try AuditChain.verify(s.auditLog.path).entries }

    static func bytes(_ path: String) -> [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }
}

import Testing

extension Agent {
    /// The session's CSRF token, read from the sign-out form every page carries.
    func csrf() async throws -> String {
        let page = try await get("/search")
        return Agent.csrfToken(page.body) ?? ""
    }

    /// A multipart/form-data POST, as a browser sends a form with a file field.
    func upload(_ uri: String, fields: [String: String], file: (field: String, name: String, bytes: [UInt8])) async throws -> Answer {
        let boundary = "----digitagTestBoundary7MA4YWxk"
        var body: [UInt8] = []
        for (k, v) in fields.sorted(by: { $0.key < $1.key }) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)
        }
        body += Array(
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.name)\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        body += file.bytes
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        return try await sendRaw(.post, uri, body: body, contentType: "multipart/form-data; boundary=\(boundary)")
    }
}

extension Agent {
    /// A POST with a body of any content type (the fixture's `send` sends url-encoded forms only).
    func sendRaw(_ method: HTTPRequest.Method, _ uri: String, body: [UInt8], contentType: String, headers extra: [String: String] = [:]) async throws
        -> Answer
    {
        var headers = HTTPFields()
        headers[.init("X-Forwarded-For")!] = address
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0)=\($1)" }.sorted().joined(separator: "; ") }
        headers[.contentType] = contentType
        for (k, v) in extra { headers[.init(k)!] = v }
        let r = try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(bytes: body))
        return Answer(status: Int(r.status.code), headers: r.headers, body: String(decoding: r.body, as: UTF8.self), bytes: r.body)
    }
}
