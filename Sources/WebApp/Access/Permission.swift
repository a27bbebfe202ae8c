/// What a role may do, one permission at a time.
///
/// Names are the users file's and the roles table's (docs/serving.md); they never change meaning, a new
/// ability gets a new name.
public enum Permission: String, Sendable, CaseIterable, Codable {
    /// Open an enterprise's profile.
    case viewProfiles = "view_profiles"
    /// Run a segment: count and list enterprises for an expression.
    case query
    /// Download a segment as CSV.
    case export
    /// Draw an inspection sample, and replace a drawn enterprise (the task pages).
    case drawSamples = "draw_samples"
    /// Upload inspection results (the task pages).
    case importResults = "import_results"
    /// See the legal representative's name and ID number.
    case personalInfo = "personal_info"
    /// Read the audit log.
    case readAudit = "read_audit"
    /// Manage users: reserved; users are managed with `digitag users add` on the server for now.
    case admin
}
