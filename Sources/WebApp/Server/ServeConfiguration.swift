import Foundation

/// How `digitag serve` runs: where it reads, whom it lets in, how sessions behave.
public struct ServeConfiguration: Sendable {
    public var runs: String
    public var samples: String
    public var usersFile: String
    public var pipeline: String
    public var auditLog: String
    public var host: String
    public var port: Int
    /// Behind a TLS-terminating proxy (nginx): cookies get the Secure flag.
    public var secureCookies: Bool
    /// Take the client's address from X-Forwarded-For (only behind a proxy that sets it).
    public var trustProxy: Bool
    public var idleTimeout: TimeInterval
    public var maxFailures: Int
    public var lockDuration: TimeInterval
    /// Where CSV exports are assembled before they are sent (deleted at once).
    public var scratch: String
    /// The users' saved segments (JSON, written atomically); not under the runs, which the server never writes.
    public var savedSegments: String
    /// Where results uploaded on the task pages write the next run's records (`results import --input`); nil:
    /// the input directory of the run the sample was drawn from, as on the command line.
    public var resultsInput: String? = nil
    /// Evaluated segments kept per run (counts and matches by expression and scope); 0 keeps none.
    public var countCache: Int = 64

    public init(
        runs: String, samples: String, usersFile: String, pipeline: String, auditLog: String, host: String = "127.0.0.1", port: Int = 8080,
        secureCookies: Bool = false, trustProxy: Bool = false, idleTimeout: TimeInterval = 30 * 60, maxFailures: Int = 5,
        lockDuration: TimeInterval = 15 * 60, scratch: String = NSTemporaryDirectory(), savedSegments: String? = nil
    ) {
        self.runs = runs
        self.samples = samples
        self.usersFile = usersFile
        self.pipeline = pipeline
        self.auditLog = auditLog
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.trustProxy = trustProxy
        self.idleTimeout = idleTimeout
        self.maxFailures = maxFailures
        self.lockDuration = lockDuration
        self.scratch = scratch
        // Beside the audit log by default: both are the server's own state.
        let beside = (auditLog as NSString).deletingLastPathComponent
        self.savedSegments = savedSegments ?? (beside.isEmpty ? "saved-segments.json" : beside + "/saved-segments.json")
    }

    /// `127.0.0.1:8080`, `[::1]:8080` or `:8080` (all addresses) into host and port.
    public static func listenAddress(_ text: String) -> (host: String, port: Int)? {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "0.0.0.0" : host, port)
    }
}
