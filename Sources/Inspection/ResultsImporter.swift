import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import RunModel
import Sampling

/// What `digitag results import` needs.
public struct ResultsImportRequest: Sendable {
    /// The sample directory (`samples/<task id>`).
    public var sample: String
    /// The inspection results file.
    public var results: String
    /// Where the next run's records go: the run's input directory unless given.
    public var input: String?
    /// Public holidays and make-up working days (`date,kind`), for the 20-working-day deadline.
    public var holidays: String?
    /// Today's date, read from the clock by the command (never inside the library): no inspection may be dated later.
    public var today: Day
    /// Accept a results file with no rows, clearing what earlier imports wrote.
    public var replaceAll: Bool

    public init(sample: String, results: String, input: String? = nil, holidays: String? = nil, today: Day, replaceAll: Bool = false) {
        self.sample = sample
        self.results = results
        self.input = input
        self.holidays = holidays
        self.today = today
        self.replaceAll = replaceAll
    }
}

/// One inspected item of one enterprise, as imported.
public struct ImportedInspection: Sendable, Hashable {
    public var uscc: String
    public var name: String
    public var item: InspectionItem
    public var inspectedOn: Day
    public var completedOn: Day
    public var results: [InspectionResultCode]
    /// The last day the result may be published: 20 working days after `completedOn`.
    public var publishBy: Day
    /// False when the enterprise was drawn with certainty (a 100% group): that inspection was targeted, not random.
    public var random: Bool
}

/// Inspection results back in (一公开): the public results file, and records the next run's tags read.
///
/// The results file has one row per inspected item of a drawn enterprise:
///
/// ```
/// uscc,item,inspected_on,completed_on,results
/// 91370102MA3C4XYZ1K,annual_report,2025-02-10,2025-02-12,corrected;not_published
/// ```
///
/// `results` holds one or more result codes (or their published wording) separated by `;`: an inspection
/// may find several things. Each file is the task's results so far: importing again rewrites both outputs.
/// Two files are written:
/// - `<sample>/results.csv` (public, 一公开): task, enterprise, item, department, the inspection's dates, the
///   results in their published wording, and the date by which they must be published (20 working days after
///   the inspection was completed) — never a class, score, reason, group, probability or inspector;
/// - `<input>/market/inspections-<task id>.csv`: one row per result code (uscc, inspected_on, item, random,
///   result), a part file of the `inspections` source, so the next run's inspection tags include them.
public enum ResultsImporter {
    public static let publicHeader = [
        "任务编号", "任务名称", "统一社会信用代码", "企业名称", "抽查事项", "检查实施机关", "检查日期", "检查完成日期", "检查结果", "公示截止日期",
    ]
    /// The 一公开 rule: results are published within 20 working days.
    public static let publishWithinWorkingDays = 20
    static let columns = ["uscc", "item", "inspected_on", "completed_on", "results"]

    public struct Summary: Sendable {
        public var taskID: String
        public var inspections: [ImportedInspection]
        /// Enterprises to inspect (drawn, not replaced, or replacements) with no result yet.
        public var pending: [String]
        public var publicFile: String
        public var recordsFile: String
        public var records: Int
        public var workingDays: WorkingDays
    }

    public static func run(_ request: ResultsImportRequest) throws -> Summary {
        let audit = try SampleAudit.read(FileSystem.join(request.sample, "audit.json"))
        let task = try SamplingTask.load(text: audit.task.text, file: audit.task.file)
        let itemList = try ItemList.load(audit.policy.items.file)
        let items = try itemList.resolve(task)
        let definition = try PipelineDefinition.load(audit.pipelineFile)
        guard let source = definition.sources.source("inspections"), let resultField = source.field("result") else {
            throw Diagnostic(SourceLocation(file: audit.pipelineFile), "the pipeline has no 'inspections' source with a 'result' field")
        }
        let unknownCodes = InspectionResultCode.allCases.map(\.rawValue).filter { !resultField.values.contains($0) }
        if !unknownCodes.isEmpty {
            throw Diagnostic(
                resultField.location, "the inspections source's result values lack \(unknownCodes.joined(separator: ", "))",
                hint: "the import writes these codes: add them to the enum")
        }
        let workingDays = try request.holidays.map { try WorkingDays.load($0) } ?? .weekendsOnly
        guard let asOf = Day(iso: audit.run.asOf) else {
            throw InputProblems([Diagnostic(SourceLocation(file: FileSystem.join(request.sample, "audit.json")), "run as_of is not a date")])
        }
        let plan = try readPlan(FileSystem.join(request.sample, "plan.csv"))
        let inspections = try readResults(
            request.results, plan: plan, items: items, task: task, asOf: asOf, today: request.today, workingDays: workingDays)
        let publicFile = FileSystem.join(request.sample, "results.csv")
        if inspections.isEmpty && !request.replaceAll {
            // Every row was good, so there were none: a header-only file would silently clear earlier results.
            let earlier = FileSystem.exists(publicFile) ? (try? ReferenceTable.load(publicFile, requiredColumns: []))?.rows.count ?? 0 : 0
            let what =
                earlier > 0
                ? "importing it would clear the \(earlier) result\(earlier == 1 ? "" : "s") imported earlier (\(publicFile))"
                : "there is nothing to import"
            throw InputProblems([
                Diagnostic(
                    SourceLocation(file: request.results), "the file has no result rows, only a header: \(what)",
                    hint: "import the task's whole results file; to clear the task's results on purpose, add --replace-all")
            ])
        }

        // The next run's records.
        let input: String
        if let given = request.input {
            input = given
        } else {
            input = try Manifest.read(FileSystem.join(audit.run.directory, "manifest.json")).input
        }
        let recordsFile = FileSystem.join(input, source.files + "-" + task.id + ".csv")
        try FileSystem.createDirectory(FileSystem.directoryOf(recordsFile))
        let names = source.fields.map(\.name)
        var recordRows: [[String]] = []
        for i in inspections {
            for code in i.results {
                let values: [String: String] = [
                    "uscc": i.uscc, "inspected_on": i.inspectedOn.description, "item": i.item.code, "random": i.random ? "Y" : "N",
                    "result": code.rawValue,
                ]
                recordRows.append(names.map { values[$0] ?? "" })
            }
        }
        _ = try SampleOutputs.writeCSV(recordsFile, header: names, rows: recordRows, forPeople: false)

        // The public file.
        let departmentName = { (d: String) in itemList.departmentNames[d] ?? d }
        let publicRows = inspections.map { i in
            [
                task.id, task.publishedTitle, i.uscc, i.name, i.item.nameZh, departmentName(i.item.department), i.inspectedOn.description,
                i.completedOn.description, i.results.map(\.text).joined(separator: "；"), i.publishBy.description,
            ]
        }
        _ = try SampleOutputs.writeCSV(publicFile, header: publicHeader, rows: publicRows)

        let done = Set(inspections.map(\.uscc))
        let pending = plan.filter { $0.value.current && !done.contains($0.key) }.keys.sorted()
        return Summary(
            taskID: task.id, inspections: inspections, pending: pending, publicFile: publicFile, recordsFile: recordsFile,
            records: recordRows.count, workingDays: workingDays)
    }

    /// A drawn enterprise as the plan records it.
    struct PlanEntry {
        var name: String
        var probability: Double
        /// To be inspected now: drawn and not replaced, or a replacement.
        var current: Bool
        /// Why it was replaced, if it was.
        var replacedFor: String?
    }

    static func readPlan(_ path: String) throws -> [String: PlanEntry] {
        let table: ReferenceTable
        do {
            table = try ReferenceTable.load(path, requiredColumns: ["uscc", "name", "probability", "status", "reason"])
        } catch let e as DiagnosticsError {
            throw InputProblems(e.diagnostics)
        }
        var out: [String: PlanEntry] = [:]
        for r in table.rows.indices {
            let f = table.record(r)
            guard let p = Double(f["probability"]!) else {
                throw InputProblems([Diagnostic(SourceLocation(file: path, line: table.lines[r]), "probability is not a number")])
            }
            let status = f["status"]!
            let reason = f["reason"]!.split(separator: ":").first.map(String.init)
            out[f["uscc"]!] = PlanEntry(
                name: f["name"]!, probability: p, current: status != "replaced", replacedFor: status == "replaced" ? reason : nil)
        }
        return out
    }

    /// The results file's rows, each with its line; a row with the wrong number of fields (or broken quoting)
    /// is a problem of its own, and reading goes on so that every other row is still checked.
    static func readRows(_ path: String) throws -> (table: ReferenceTable, problems: [Diagnostic]) {
        guard FileSystem.exists(path) else { throw InputProblems([Diagnostic(SourceLocation(file: path), "no such file")]) }
        var header: [String]?
        var rows: [[String]] = []
        var lines: [Int] = []
        var problems: [Diagnostic] = []
        do {
            try CSVReader(path: path).read(
                onRow: { row in
                    guard let header else {
                        header = row.strings
                        return
                    }
                    guard row.count == header.count else {
                        problems.append(
                            Diagnostic(
                                SourceLocation(file: path, line: row.line),
                                "expected \(header.count) fields (\(header.joined(separator: ","))), found \(row.count)"))
                        return
                    }
                    rows.append(row.strings)
                    lines.append(row.line)
                },
                onSyntaxProblem: { p in problems.append(Diagnostic(SourceLocation(file: path, line: p.line), p.message)) })
        } catch let d as Diagnostic {
            throw InputProblems([d])
        }
        guard let header else { throw InputProblems([Diagnostic(SourceLocation(file: path), "the file is empty: a header row is required")]) }
        let missing = columns.filter { !header.contains($0) }
        if !missing.isEmpty {
            throw InputProblems(
                missing.map {
                    Diagnostic(SourceLocation(file: path, line: 1), "missing required column '\($0)'", hint: "the header has: \(header.joined(separator: ", "))")
                } + problems)
        }
        return (ReferenceTable(path: path, header: header, rows: rows, lines: lines), problems)
    }

    /// Reads and checks every row; all problems are reported together, with line and field.
    static func readResults(
        _ path: String, plan: [String: PlanEntry], items: [InspectionItem], task: SamplingTask, asOf: Day, today: Day,
        workingDays: WorkingDays
    ) throws -> [ImportedInspection] {
        let (table, raggedRows) = try readRows(path)
        var problems = raggedRows
        for (i, name) in table.header.enumerated() where !columns.contains(name) {
            problems.append(
                Diagnostic(
                    SourceLocation(file: path, line: 1, column: i + 1), "unknown column '\(name)'",
                    hint: closestMatch(to: name, in: columns).map { "did you mean '\($0)'?" } ?? "the columns are " + columns.joined(separator: ", ")))
        }
        let col = Dictionary(uniqueKeysWithValues: columns.map { ($0, table.header.firstIndex(of: $0)!) })
        var seen: [String: Int] = [:]
        var out: [ImportedInspection] = []
        for (row, line) in zip(table.rows, table.lines) {
            func problem(_ field: String, _ message: String, hint: String? = nil) {
                problems.append(Diagnostic(SourceLocation(file: path, line: line, column: col[field]! + 1), "\(field): \(message)", hint: hint))
            }
            let uscc = row[col["uscc"]!]
            let itemCode = row[col["item"]!]
            var ok = true
            var entry: PlanEntry?
            if !USCC.isValid(uscc) {
                problem("uscc", "'\(uscc)' is not a valid USCC (GB 32100-2015)")
                ok = false
            } else if let e = plan[uscc] {
                entry = e
            } else {
                problem("uscc", "\(uscc) was not drawn in task \(task.id)", hint: "results are imported for the enterprises of the task's plan")
                ok = false
            }
            let item = items.first { $0.code == itemCode }
            if item == nil {
                problem(
                    "item", "'\(itemCode)' is not an item of task \(task.id)",
                    hint: closestMatch(to: itemCode, in: items.map(\.code)).map { "did you mean '\($0)'?" }
                        ?? "the task's items: " + items.map(\.code).joined(separator: ", "))
                ok = false
            }
            let inspected = Day(iso: row[col["inspected_on"]!])
            let completed = Day(iso: row[col["completed_on"]!])
            if inspected == nil { problem("inspected_on", "must be a date as YYYY-MM-DD, found '\(row[col["inspected_on"]!])'") }
            if completed == nil { problem("completed_on", "must be a date as YYYY-MM-DD, found '\(row[col["completed_on"]!])'") }
            if let inspected, inspected <= asOf {
                problem(
                    "inspected_on", "\(inspected) is not after the run the sample was drawn from (as of \(asOf))",
                    hint: "an inspection of this task cannot come before its draw")
                ok = false
            }
            for (field, day) in [("inspected_on", inspected), ("completed_on", completed)] {
                if let day, day > today {
                    problem(field, "\(day) is after today (\(today))", hint: "an inspection is imported once it has taken place")
                    ok = false
                }
            }
            if let inspected, let completed, completed < inspected {
                problem("completed_on", "\(completed) is before inspected_on \(inspected)")
                ok = false
            }
            var codes: [InspectionResultCode] = []
            switch InspectionResultCode.parseList(row[col["results"]!]) {
            case .success(let c): codes = c
            case .failure(let e):
                problem("results", e.message, hint: e.hint)
                ok = false
            }
            if let reason = entry?.replacedFor {
                // Finding an enterprise unreachable is itself a published result; any other replaced one was not inspected.
                if reason != ReplacementReason.unreachable.rawValue || codes != [.unreachable] {
                    problem(
                        "uscc", "\(uscc) was replaced (\(reason)): it was not inspected",
                        hint: reason == "unreachable" ? "an enterprise replaced as unreachable may only have the result unreachable" : nil)
                    ok = false
                }
            }
            let key = uscc + "\u{1F}" + itemCode
            if let first = seen[key] {
                problems.append(
                    Diagnostic(
                        SourceLocation(file: path, line: line), "\(uscc) \(itemCode) already has a result on line \(first)",
                        hint: "one row per enterprise and item; several results go in one row, separated by ';'"))
                ok = false
            }
            seen[key] = line
            guard ok, let entry, let item, let inspected, let completed else { continue }
            out.append(
                ImportedInspection(
                    uscc: uscc, name: entry.name, item: item, inspectedOn: inspected, completedOn: completed, results: codes,
                    publishBy: workingDays.adding(workingDays: publishWithinWorkingDays, to: completed), random: entry.probability < 1))
        }
        if !problems.isEmpty {
            throw InputProblems(problems.sorted { ($0.location.line ?? 0, $0.location.column ?? 0) < ($1.location.line ?? 0, $1.location.column ?? 0) })
        }
        let order = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.code, $0) })
        return out.sorted { a, b in a.uscc != b.uscc ? a.uscc < b.uscc : order[a.item.code]! < order[b.item.code]! }
    }
}
