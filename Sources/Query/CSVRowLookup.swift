import DigiTagIO
import Engine

/// Finds the row of one key (a USCC) in a run's CSV output by a streaming scan that stops at the row.
///
/// - Complexity: O(bytes before the row). For whole-run questions the profile store is the fast path.
enum CSVRowLookup {
    /// The header and the first row whose first field is `key`, or `nil` if no row has it.
    static func find(path: String, key: String) throws -> (header: [String], row: [String])? {
        var header: [String]?
        var found: [String]?
        let target = Array(key.utf8)
        struct Stop: Error {}
        do {
            try CSVReader(path: path).read(
                onRow: { row in
                    if header == nil {
                        header = row.strings
                    } else if row.count > 0, row.field(0).elementsEqual(target) {
                        found = row.strings
                        throw Stop()
                    }
                },
                onSyntaxProblem: { p in throw InputError(file: path, line: p.line, message: p.message) })
        } catch is Stop {}
        guard let header, let found else { return nil }
        return (header, found)
    }
}
