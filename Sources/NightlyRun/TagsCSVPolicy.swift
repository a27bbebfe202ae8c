/// Whether a run writes `tags.csv` besides its profile store.
///
/// The store holds the same values (and `digitag export tags` writes the same file, or a slice of it, from the
/// store at any time), so at provincial scale the 2.3 GB-per-million-enterprises CSV is written only on request:
/// it cost a quarter of derive at 1 M enterprises, and nobody opens a million-row, thousand-column CSV whole.
public enum TagsCSVPolicy: String, Sendable, CaseIterable {
    /// Written when the registration has at most `autoLimit` enterprises (SampleData, a city's test run).
    case auto
    case always
    case never

    /// The largest registration `auto` still writes `tags.csv` for.
    public static let autoLimit = 100_000

    public func writes(enterprises: Int) -> Bool {
        switch self {
        case .auto: return enterprises <= Self.autoLimit
        case .always: return true
        case .never: return false
        }
    }
}
