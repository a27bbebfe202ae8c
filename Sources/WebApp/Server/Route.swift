/// Every route of the application, pages and API: the router and the documentation (docs/openapi.yaml,
/// docs/serving.md) list the same ones, and the route × role tests go through each.
public enum Route: String, Sendable, CaseIterable {
    case loginForm = "GET /login"
    case login = "POST /login"
    case logout = "POST /logout"
    case search = "GET /search"
    case profile = "GET /enterprise/{uscc}"
    case segments = "GET /segments"
    case segmentsCSV = "GET /segments.csv"
    case audit = "GET /audit"
    case apiLogin = "POST /api/session"
    case apiLogout = "DELETE /api/session"
    case apiSearch = "GET /api/search"
    case apiProfile = "GET /api/enterprises/{uscc}"
    case apiSegments = "GET /api/segments"
    case apiSegmentsCSV = "GET /api/segments.csv"
    case apiAudit = "GET /api/audit"
    // The province / city / county dashboard, and saved segments per user.
    case dashboard = "GET /dashboard"
    case apiDashboard = "GET /api/dashboard"
    case savedSegments = "GET /segments/saved"
    case saveSegment = "POST /segments/saved"
    case deleteSegment = "POST /segments/saved/delete"
    case runSavedSegment = "GET /segments/saved/run"
    case apiSavedSegments = "GET /api/saved-segments"
    case apiSaveSegment = "POST /api/saved-segments"
    case apiDeleteSegment = "DELETE /api/saved-segments"
    case apiRunSavedSegment = "GET /api/saved-segments/run"
    // Inspection tasks (docs/serving.md, "Inspection tasks"): the same Inspection functions as `digitag sample`.
    case tasks = "GET /tasks"
    case task = "GET /tasks/{task}"
    case taskDraw = "POST /tasks/{task}/draw"
    case taskVerify = "POST /tasks/{task}/verify"
    case taskReplace = "POST /tasks/{task}/replace"
    case taskResults = "POST /tasks/{task}/results"
    case taskNotice = "GET /tasks/{task}/notice.csv"
    case taskResultsCSV = "GET /tasks/{task}/results.csv"
    case apiTasks = "GET /api/tasks"
    case apiTask = "GET /api/tasks/{task}"
    case apiTaskDraw = "POST /api/tasks/{task}/draw"
    case apiTaskVerify = "POST /api/tasks/{task}/verify"
    case apiTaskReplace = "POST /api/tasks/{task}/replace"
    case apiTaskResults = "POST /api/tasks/{task}/results"
    case apiTaskNotice = "GET /api/tasks/{task}/notice.csv"
    case apiTaskResultsCSV = "GET /api/tasks/{task}/results.csv"

    /// Routes whose body may be a results file, allowed a larger body than a form (`WebContext.maxResultsUpload`).
    public var acceptsUpload: Bool { self == .taskResults || self == .apiTaskResults }

    public var method: String { String(rawValue.prefix { $0 != " " }) }
    public var path: String { String(rawValue.drop { $0 != " " }.dropFirst()) }
}
