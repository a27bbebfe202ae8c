import DataContract
import DigiTagBase
import DigiTagIO

/// Who inspected each enterprise last time, from `inspection_history.csv` (uscc, inspected_on, inspector_id).
///
/// The source `market/inspections.csv` has no inspector, so this optional file supplies the data for the
/// avoidance rule "not the inspector who inspected this enterprise last time". One row per inspector per
/// inspection (an inspection has two or more rows on the same date). Rows dated after the run's as-of date
/// are ignored, like every other record: a draw on an old run reproduces what that day would have drawn.
public struct InspectionHistory: Sendable {
    public var path: String?
    /// USCC → the inspectors of its latest inspection on or before the as-of date.
    public var lastInspectors: [String: Set<String>]
    /// USCC → the date of that inspection.
    public var lastInspected: [String: Day]

    public static let empty = InspectionHistory(path: nil, lastInspectors: [:], lastInspected: [:])

    public init(path: String?, lastInspectors: [String: Set<String>], lastInspected: [String: Day]) {
        self.path = path
        self.lastInspectors = lastInspectors
        self.lastInspected = lastInspected
    }

    /// Reads the file; every malformed row is reported with its line (all of them, then it throws).
    public static func load(_ path: String, asOf: Day) throws -> InspectionHistory {
        let table = try ReferenceTable.load(path, requiredColumns: ["uscc", "inspected_on", "inspector_id"])
        var problems: [Diagnostic] = []
        var inspectors: [String: Set<String>] = [:]
        var dates: [String: Day] = [:]
        let u = table.header.firstIndex(of: "uscc")!
        let d = table.header.firstIndex(of: "inspected_on")!
        let k = table.header.firstIndex(of: "inspector_id")!
        for (row, line) in zip(table.rows, table.lines) {
            let at = SourceLocation(file: path, line: line)
            guard USCC.isValid(row[u]) else {
                problems.append(Diagnostic(at, "'\(row[u])' is not a valid USCC"))
                continue
            }
            guard let day = Day(iso: row[d]) else {
                problems.append(Diagnostic(at, "inspected_on must be a date as YYYY-MM-DD, found '\(row[d])'"))
                continue
            }
            guard !row[k].isEmpty else {
                problems.append(Diagnostic(at, "inspector_id is empty"))
                continue
            }
            guard day <= asOf else { continue }
            if let last = dates[row[u]], last > day { continue }
            if dates[row[u]] != day {
                dates[row[u]] = day
                inspectors[row[u]] = []
            }
            inspectors[row[u]]!.insert(row[k])
        }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return InspectionHistory(path: path, lastInspectors: inspectors, lastInspected: dates)
    }
}
