import DigiTagBase
import Foundation
import Query
import RunModel

/// The application behind every route: signs people in, asks the access policy, reads the current run,
/// writes the audit log, and answers HTML or JSON. Knows nothing of the HTTP framework (`WebServer` adapts it).
public final class WebService: Sendable {
    public let configuration: ServeConfiguration
    public let users: UserDirectory
    public let runs: PublishedRuns
    public let sessions: SessionStore
    public let throttle: LoginThrottle
    public let auditLog: AuditLog
    public let savedSegments: SavedSegments
    let clock: @Sendable () -> Date

    static let sessionCookie = "digitag_session"
    static let loginCookie = "digitag_login"

    public init(
        configuration: ServeConfiguration, users: UserDirectory, runs: PublishedRuns, auditLog: AuditLog,
        savedSegments: SavedSegments? = nil, clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.savedSegments = savedSegments ?? SavedSegments(path: configuration.savedSegments)
        self.configuration = configuration
        self.users = users
        self.runs = runs
        self.auditLog = auditLog
        self.clock = clock
        sessions = SessionStore(idleTimeout: configuration.idleTimeout, clock: clock)
        throttle = LoginThrottle(maxFailures: configuration.maxFailures, lockDuration: configuration.lockDuration, clock: clock)
    }

    /// Opens everything `digitag serve` needs and fails at once, with the contract's exit codes, when the
    /// users file is missing or wrong (2), there is no published run (8) or the audit log is broken (7).
    /// `pipeline` gives the pipeline to read a run folder with: the run's own copy (`RunPipelineCopy.load`).
    public static func open(_ c: ServeConfiguration, pipeline: @escaping @Sendable (String) throws -> PipelineDefinition) throws -> WebService {
        let users = try UserDirectory.load(c.usersFile)
        if users.users.isEmpty {
            throw ServeError(.configuration, "the users file \(c.usersFile) lists nobody", advice: "add someone with 'digitag users add'")
        }
        let runs = PublishedRuns(root: c.runs, segmentCache: c.countCache, pipeline: pipeline)
        _ = try runs.current()
        runs.openRetainedInBackground()
        let log = try AuditLog(path: c.auditLog, rotation: .daily)
        return WebService(configuration: c, users: users, runs: runs, auditLog: log, savedSegments: try SavedSegments.open(c.savedSegments))
    }

    /// Answers one request. Every answer carries headers that keep pages out of caches and frames and forbid
    /// scripts and outside resources.
    public func respond(_ route: Route, _ request: WebRequest, parameter: String? = nil) -> WebResponse {
        var response: WebResponse
        do {
            response = try dispatch(route, request, parameter: parameter)
        } catch {
            // The audit log could not be written (or something failed before an answer existed): no data leaves
            // without its audit line.
            response = failure(request, status: 500, title: "服务器错误 Server error", message: "\(error)", error: "server_error", session: nil)
        }
        response.headers += [
            ("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'"),
            ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("Cache-Control", "no-store"),
        ]
        return response
    }

    func dispatch(_ route: Route, _ r: WebRequest, parameter: String?) throws -> WebResponse {
        switch route {
        case .loginForm: return loginForm(r)
        case .login, .apiLogin: return try login(r)
        case .logout, .apiLogout: return try logout(r)
        default: break
        }
        guard let session = session(r) else {
            return r.isAPI
                ? .json(MessagePage.json(error: "not_signed_in", message: "sign in first: POST /api/session"), status: 401)
                : .redirect("/login")
        }
        // The request's run, taken once: the policy judges tags by the sensitivities of the catalog this run was
        // made with, and the answer comes from the same run.
        let snapshot = try runs.current()
        let policy = AccessPolicy(user: session.user, clearance: snapshot.clearance)
        switch route {
        case .search, .apiSearch: return try search(r, session: session, policy: policy, snapshot: snapshot)
        case .profile, .apiProfile: return try profile(r, uscc: parameter ?? "", session: session, policy: policy, snapshot: snapshot)
        case .segments, .apiSegments: return try segments(r, session: session, policy: policy, snapshot: snapshot)
        case .segmentsCSV, .apiSegmentsCSV: return try segmentsCSV(r, session: session, policy: policy, snapshot: snapshot)
        case .audit, .apiAudit: return try auditEntries(r, session: session, policy: policy)
        case .dashboard, .apiDashboard: return try dashboard(r, session: session, policy: policy, snapshot: snapshot)
        case .savedSegments, .apiSavedSegments: return try listSaved(r, session: session, policy: policy)
        case .saveSegment, .apiSaveSegment: return try saveSegment(r, session: session, policy: policy, snapshot: snapshot)
        case .deleteSegment, .apiDeleteSegment: return try deleteSegment(r, session: session, policy: policy)
        case .runSavedSegment, .apiRunSavedSegment: return try runSaved(r, session: session, policy: policy, snapshot: snapshot)
        case .tasks, .task, .taskDraw, .taskVerify, .taskReplace, .taskResults, .taskNotice, .taskResultsCSV, .apiTasks, .apiTask, .apiTaskDraw,
            .apiTaskVerify, .apiTaskReplace, .apiTaskResults, .apiTaskNotice, .apiTaskResultsCSV:
            return try taskRoute(route, r, id: parameter ?? "", session: session, policy: policy)
        case .loginForm, .login, .apiLogin, .logout, .apiLogout: fatalError("handled above")
        }
    }

    // MARK: helpers

    /// The live session of the request's cookie.
    func session(_ r: WebRequest) -> Session? { r.cookies[Self.sessionCookie].flatMap(sessions.session) }

    /// Appends one line to the audit log for a request by a signed-in user (or a sign-in attempt).
    func audit(_ r: WebRequest, user: String, role: String, action: String, subject: String, size: Int, outcome: String) throws {
        try auditLog.append(
            AuditEntry(time: clock(), user: user, role: role, address: r.address, action: action, subject: subject, size: size, outcome: outcome))
    }

    func audit(_ r: WebRequest, _ s: Session, action: String, subject: String, size: Int, outcome: String) throws {
        try audit(r, user: s.user.name, role: s.user.role.id, action: action, subject: subject, size: size, outcome: outcome)
    }

    /// An error answer in the request's format.
    func failure(_ r: WebRequest, status: Int, title: String, message: String, error: String, session: Session?) -> WebResponse {
        r.isAPI
            ? .json(MessagePage.json(error: error, message: message), status: status)
            : .html(MessagePage.html(title: title, message: message, session: session), status: status)
    }

    func refused(_ r: WebRequest, _ refusal: AccessRefusal, session: Session) -> WebResponse {
        failure(r, status: 403, title: "无权访问 Not allowed", message: refusal.message, error: "refused", session: session)
    }

    /// The one answer for an enterprise that does not exist and one outside the user's region.
    static let notFoundMessage = "在您的范围内没有该企业 No enterprise with this code in your area"

    func cookie(_ name: String, _ value: String, path: String = "/", maxAge: Int? = nil) -> (String, String) {
        var c = "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Strict"
        if configuration.secureCookies { c += "; Secure" }
        if let maxAge { c += "; Max-Age=\(maxAge)" }
        return ("Set-Cookie", c)
    }
}

