import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Inspection

/// A drawn task's sample as one user may see it: the plan's rows of enterprises in the user's region, with
/// the columns the role may see, and counts that cover that region only.
public struct TaskSample: Sendable {
    public var header: [String]
    public var rows: [[String]]
    /// Plan rows in the user's region, by status (`drawn`, `replaced`, `replacement`).
    public var drawnInScope: Int
    public var replacedInScope: Int
    public var replacementsInScope: Int
    /// Enterprises of the user's region with a result in results.csv.
    public var resultsInScope: Int
    /// Rows of notice.csv: the whole task's count, public (一公开).
    public var noticeRows: Int
    /// USCC → region of every plan row (for the policy's scope checks, never shown).
    public var regionOf: [String: String]

    /// Reads `plan.csv`, `notice.csv` and `results.csv` of a drawn task and keeps what `policy` lets its user see.
    public static func read(_ t: InspectionTask, policy: AccessPolicy) throws -> TaskSample {
        let plan = try ReferenceTable.load(FileSystem.join(t.directory, "plan.csv"), requiredColumns: ["uscc", "region", "status"])
        let uscc = plan.header.firstIndex(of: "uscc")!
        let region = plan.header.firstIndex(of: "region")!
        let status = plan.header.firstIndex(of: "status")!
        let columns = policy.visiblePlanColumns(plan.header)
        var sample = TaskSample(
            header: columns.map { plan.header[$0] }, rows: [], drawnInScope: 0, replacedInScope: 0, replacementsInScope: 0,
            resultsInScope: 0, noticeRows: 0, regionOf: [:])
        for row in plan.rows {
            sample.regionOf[row[uscc]] = row[region]
            guard policy.ownsSampleEnterprise(region: row[region]) else { continue }
            sample.rows.append(columns.map { row[$0] })
            switch row[status] {
            case "replaced": sample.replacedInScope += 1
            case "replacement": sample.replacementsInScope += 1
            default: sample.drawnInScope += 1
            }
        }
        let notice = FileSystem.join(t.directory, "notice.csv")
        if FileSystem.exists(notice) { sample.noticeRows = try ReferenceTable.load(notice, requiredColumns: []).rows.count }
        let results = FileSystem.join(t.directory, "results.csv")
        if FileSystem.exists(results) {
            let table = try ReferenceTable.load(results, requiredColumns: [ResultsImporter.publicHeader[2]])
            let k = table.header.firstIndex(of: ResultsImporter.publicHeader[2])!
            sample.resultsInScope = Set(table.rows.map { $0[k] }.filter { policy.ownsSampleEnterprise(region: sample.regionOf[$0]) }).count
        }
        return sample
    }
}
