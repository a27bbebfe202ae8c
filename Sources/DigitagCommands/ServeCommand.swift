import ArgumentParser
import DigiTagBase
import Foundation
import RunModel
import WebApp

/// `digitag serve`: the web application over the published runs (docs/serving.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the published runs to analysts and inspectors in a browser, with access by role and region and an audit log.",
        discussion: """
            Reads <runs>/current on every request (a newly published run is served without a restart) and never
            writes under --runs. Every access to enterprise data is appended to the audit log, each line carrying the
            SHA-256 of the one before ('digitag audit verify'). Users and their roles: 'digitag users add'.
            Exit codes: 2 the users file is missing or wrong, 7 the audit log's chain is broken, 8 no published run or the
            address is in use, 64 wrong usage.
            """)

    @Option(help: "The folder that holds the published runs and their 'current' link.")
    var runs = "runs"

    @Option(help: "The folder of inspection samples: the task pages draw into <samples>/<task id>/, as 'digitag sample --out' would.")
    var samples = "samples"

    @Option(name: .customLong("results-input"), help: "Where uploaded inspection results write the next run's records (default: the input of the run each sample was drawn from, as 'results import').")
    var resultsInput: String?

    @Option(help: "The users file (digitag users add).")
    var users: String

    @Option(help: "Address and port to listen on.")
    var listen = "127.0.0.1:8080"

    @Option(name: .customLong("audit-log"), help: "The audit log (JSON lines, hash-chained); created if missing.")
    var auditLog = "audit.log"

    @Option(name: .customLong("saved-segments"), help: "The users' saved segments (JSON; default: saved-segments.json beside the audit log).")
    var savedSegments: String?

    @OptionGroup var pipeline: RunPipelineOption

    @Flag(help: "Behind a TLS proxy (nginx): mark cookies Secure and take the client address from X-Forwarded-For.")
    var behindProxy = false

    @Option(help: "Minutes without a request before a session ends.")
    var idleMinutes = 30

    @Option(
        name: .customLong("count-cache"),
        help: "Segments kept per run: a segment asked again (same expression, same region scope) is answered without evaluating it. 0 keeps none (to measure the uncached cost).")
    var countCache = 64

    func validate() throws {
        if ServeConfiguration.listenAddress(listen) == nil { throw ValidationError("--listen takes HOST:PORT, e.g. 127.0.0.1:8080") }
        if idleMinutes < 1 { throw ValidationError("--idle-minutes must be at least 1") }
        if countCache < 0 { throw ValidationError("--count-cache must be 0 (none) or more") }
    }

    func run() throws {
        try reportingFailures {
            let (host, port) = ServeConfiguration.listenAddress(listen)!
            // Each run is read with the pipeline it was made with (its own copy in <run>/pipeline/), loaded once
            // per run folder when the server first serves it.
            let override = pipeline.pipeline
            let current = FileSystem.join(runs, "current")
            var config = ServeConfiguration(
                runs: runs, samples: samples, usersFile: users, pipeline: pipeline.path(run: current), auditLog: auditLog, host: host,
                port: port, secureCookies: behindProxy, trustProxy: behindProxy, idleTimeout: TimeInterval(idleMinutes * 60),
                savedSegments: savedSegments)
            config.resultsInput = resultsInput
            config.countCache = countCache
            let service = try WebService.open(config) { run in
                try RunPipelineCopy.load(run: run, override: override, fallback: PipelineOption.defaultPath)
            }
            try WebServer.checkAddressFree(host: host, port: port)
            let snapshot = try service.runs.current()
            printError("digitag serve: http://\(listen)/ — run \(snapshot.directory) (as of \(snapshot.asOf)), \(service.users.users.count) users, audit log \(auditLog)")
            let done = DispatchSemaphore(value: 0)
            let failure = Box()
            Task {
                do { try await WebServer.run(service) } catch { failure.error = "\(error)" }
                done.signal()
            }
            done.wait()
            if let e = failure.error { throw ServeError(.environment, "the server stopped: \(e)") }
        }
    }

    /// The server task's error, handed to the waiting thread after `done` is signalled (so never read and
    /// written at once).
    final class Box: @unchecked Sendable { var error: String? }
}
