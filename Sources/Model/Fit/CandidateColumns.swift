import Catalog
import DigiTagBase
import Inspection

/// The candidate tags' values in every run, by the run's row (classes.csv order): numbers for booleans and
/// numbers (NaN when empty), text for categories (nil when empty).
public struct CandidateColumns: Sendable {
    public var tags: [String]
    public var kinds: [CandidateTag.Kind]
    /// [run][candidate][row]
    public var numbers: [[[Double]]]
    public var categories: [[[String?]]]

    /// Every boolean, numeric and categorical tag of the latest run's catalog that every run has.
    public static func load(runs: [RunScores]) throws -> CandidateColumns {
        guard let last = runs.last else { return CandidateColumns(tags: [], kinds: [], numbers: [], categories: []) }
        var tags: [String] = []
        var kinds: [CandidateTag.Kind] = []
        for t in last.definition.catalog.tags {
            let kind: CandidateTag.Kind
            switch t.type {
            case .bool: kind = .bool
            case .number: kind = .number
            case .category: kind = .category
            case .date: continue
            }
            guard runs.allSatisfy({ r in r.definition.catalog.tags.contains { $0.id == t.id && $0.type == t.type } }) else { continue }
            tags.append(t.id)
            kinds.append(kind)
        }
        var numbers: [[[Double]]] = []
        var categories: [[[String?]]] = []
        for run in runs {
            let catalog = run.definition.catalog
            var indexOf: [String: Int] = [:]
            for (i, t) in catalog.tags.enumerated() { indexOf[t.id] = i }
            let wanted = tags.map { indexOf[$0]! }
            var vocabulary = catalog.vocabulary
            let read = try RunTagColumns.read(run: run.directory, catalog: catalog, tags: Set(wanted), vocabulary: &vocabulary)
            let rows = read.usccs.map { run.rowOf[$0] }
            var runNumbers: [[Double]] = []
            var runCategories: [[String?]] = []
            for (k, t) in wanted.enumerated() {
                var n: [Double] = []
                var c: [String?] = []
                switch read.columns[t] {
                case .numbers(let v)?:
                    n = [Double](repeating: .nan, count: run.usccs.count)
                    for (i, r) in rows.enumerated() { if let r { n[r] = v[i] } }
                case .codes(let v)?:
                    c = [String?](repeating: nil, count: run.usccs.count)
                    for (i, r) in rows.enumerated() { if let r, v[i] >= 0 { c[r] = vocabulary.text(v[i]) } }
                case nil:
                    break
                }
                _ = k
                runNumbers.append(n)
                runCategories.append(c)
            }
            numbers.append(runNumbers)
            categories.append(runCategories)
        }
        return CandidateColumns(tags: tags, kinds: kinds, numbers: numbers, categories: categories)
    }
}
