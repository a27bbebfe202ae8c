import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine

/// Some tags' values for every enterprise of a published run, read back from its `tags.csv`.
public struct RunTagColumns: Sendable {
    /// USCCs in the file's row order.
    public var usccs: [String]
    /// By tag index of the catalog; one value per row of `usccs`.
    public var columns: [Int: Column]
    /// SHA-256 of the file as stored.
    public var sha256: String
}

/// Reads only the tag columns an expression needs from a run's `tags.csv`.
///
/// The one place that knows the run's tag values are a CSV file (a later store replaces it): values are
/// parsed back as `ValueFormat` wrote them — booleans `1`/`0`, numbers, dates `YYYY-MM-DD` as days since
/// 1970, categories as vocabulary codes — and empty fields are null (NaN, or code -1).
///
/// - Complexity: one streaming pass over the file; memory grows with the rows × the columns asked for.
public enum RunTagReader {
    /// - Parameters:
    ///   - tags: catalog indices of the tags to read.
    ///   - vocabulary: codes for categorical values; text it does not know yet is added.
    public static func read(run: String, catalog: TagCatalog, tags: Set<Int>, vocabulary: inout Vocabulary) throws -> RunTagColumns {
        let path = FileSystem.join(run, "tags.csv")
        guard FileSystem.exists(path) else { throw InputError(file: path, message: "no tags.csv: not a complete run directory") }
        let wanted = tags.sorted()
        var fieldOf: [Int] = []
        var usccs: [String] = []
        var numbers = [[Double]](repeating: [], count: wanted.count)
        var codes = [[Int32]](repeating: [], count: wanted.count)
        var header: [String]?
        var vocab = vocabulary
        let digest = try CSVReader(path: path).read(
            onRow: { row in
                guard let h = header else {
                    let names = row.strings
                    header = names
                    guard names.first == "uscc" else {
                        throw InputError(file: path, line: row.line, message: "the first column must be 'uscc'")
                    }
                    for t in wanted {
                        let id = catalog.tags[t].id
                        guard let i = names.firstIndex(of: id) else {
                            throw InputError(
                                file: path, line: row.line, message: "no column for tag '\(id)': the run was made with another catalog")
                        }
                        fieldOf.append(i)
                    }
                    return
                }
                guard row.count == h.count else {
                    throw InputError(file: path, line: row.line, message: "expected \(h.count) fields, found \(row.count)")
                }
                usccs.append(row.string(0))
                for (k, t) in wanted.enumerated() {
                    let field = row.field(fieldOf[k])
                    switch catalog.tags[t].type {
                    case .bool, .number:
                        numbers[k].append(field.isEmpty ? .nan : (Double(String(decoding: field, as: UTF8.self)) ?? .nan))
                    case .date:
                        numbers[k].append(Day(isoBytes: field).map { Double($0.value) } ?? .nan)
                    case .category:
                        if field.isEmpty {
                            codes[k].append(-1)
                        } else {
                            let text = String(decoding: field, as: UTF8.self)
                            codes[k].append(vocab.code(text) ?? vocab.intern(text))
                        }
                    }
                }
            },
            onSyntaxProblem: { p in throw InputError(file: path, line: p.line, message: p.message) })
        guard header != nil else { throw InputError(file: path, message: "the file is empty") }
        vocabulary = vocab
        var columns: [Int: Column] = [:]
        for (k, t) in wanted.enumerated() {
            columns[t] = catalog.tags[t].type.isCategory ? .codes(codes[k]) : .numbers(numbers[k])
        }
        return RunTagColumns(usccs: usccs, columns: columns, sha256: digest.sha256)
    }
}
