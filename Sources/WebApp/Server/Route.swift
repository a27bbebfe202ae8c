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

    public var method: String { String(rawValue.prefix { $0 != " " }) }
    public var path: String { String(rawValue.drop { $0 != " " }.dropFirst()) }
}
