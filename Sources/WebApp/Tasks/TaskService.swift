import DataContract
import DigiTagBase
import DigiTagIO
import Foundation
import Inspection
import RunModel
import Sampling
import Synchronization

/// The inspection task pages' work, done by the same `Inspection` functions as `digitag sample`,
/// `sample verify`, `sample replace` and `results import`, on the same files (`<samples>/<task id>/`).
///
/// Permissions and the region are checked by the caller through `AccessPolicy`; this type only adds what the
/// command line cannot know: whose region an enterprise of a sample lies in.
public enum TaskService {
    /// Changes to sample folders go one at a time: two managers pressing "draw" at once must not both pass the
    /// "drawn once" check. (The command line on the same folder is not coordinated with the server, as two
    /// command lines are not with each other.)
    static let writes = Mutex(())

    /// Draws the task as `digitag sample --run <runs>/current --task <file> --out <samples>/<id>` does.
    ///
    /// - Throws: `AlreadyDrawn` when the folder holds a draw (nothing changed); the draw's own errors otherwise.
    public static func draw(_ t: InspectionTask, configuration c: ServeConfiguration, drawnAt: Date) throws -> SampleRunner.Summary {
        let request = SampleRequest(
            runDirectory: FileSystem.join(c.runs, "current"), pipeline: c.pipeline, taskPath: t.file, output: t.directory,
            threads: ProcessInfo.processInfo.activeProcessorCount, drawnAt: SeedCommitment.text(drawnAt))
        return try writes.withLock { _ in try SampleRunner.run(request) }
    }

    /// `digitag sample verify <samples>/<id>`.
    public static func verify(_ t: InspectionTask) throws -> SampleVerification {
        try SampleVerifier.verify(directory: t.directory)
    }

    /// A replacement request checked as `digitag sample replace` checks its options; the message is the CLI's.
    public static func replacementRequest(uscc: String, reason: String, note: String) -> Result<ReplacementRequest, AccessRefusal> {
        if case .failure(let p) = USCC.parseTyped(uscc) { return .failure(AccessRefusal("'\(uscc)' is not a valid USCC: \(p)")) }
        guard let r = ReplacementReason(rawValue: reason) else {
            let all = ReplacementReason.allCases.map(\.rawValue)
            let hint = closestMatch(to: reason, in: all).map { " (did you mean '\($0)'?)" } ?? ""
            return .failure(AccessRefusal("unknown reason '\(reason)'\(hint): use \(all.joined(separator: ", "))"))
        }
        if r.needsNote && note.trimmingCharacters(in: .whitespaces).isEmpty {
            return .failure(AccessRefusal("reason \(reason) needs a note saying what happened"))
        }
        return .success(ReplacementRequest(uscc: USCC.normalize(uscc), reason: r, note: note))
    }

    /// `digitag sample replace <samples>/<id> --uscc X --reason R --note N`.
    public static func replace(_ t: InspectionTask, _ request: ReplacementRequest) throws -> SampleReplacer.Outcome {
        try writes.withLock { _ in try SampleReplacer.replace(directory: t.directory, request: request) }
    }

    /// What an upload of results came to.
    public struct Imported: Sendable {
        public var summary: ResultsImporter.Summary
        /// Results of enterprises outside the user's region imported before, kept as they were.
        public var carried: Int
    }

    /// `digitag results import <samples>/<id> --file <upload>`, for the enterprises of the user's region.
    ///
    /// A results file is the task's results so far, and importing rewrites them; a user who answers for part of
    /// the province sends the results of that part. So when the plan has enterprises outside the user's region,
    /// the upload is first checked alone against the plan cut to that region (the importer's own checks, in a
    /// scratch folder: an enterprise outside the region is "not drawn", as it would be for any code not drawn),
    /// and only then imported together with the results imported earlier for the rest of the province.
    /// Nothing is written unless every row is right.
    ///
    /// - Parameter today: the day the import is made (no inspection may be dated later), the command's clock reading.
    public static func importResults(
        _ t: InspectionTask, upload: WebRequest.Upload, policy: AccessPolicy, regionOf: [String: String], input: String?, today: Day,
        scratch: String
    ) throws -> Imported {
        let folder = FileSystem.join(scratch, "results-\(UUID().uuidString)")
        try FileSystem.createDirectory(folder)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // The upload under its own name, so that messages read as the command line's would for that file.
        let name = uploadName(upload.filename)
        let uploaded = FileSystem.join(folder, name)
        try FileSystem.writeAtomically(Data(upload.bytes), to: uploaded)
        func renamed(_ e: InputProblems) -> InputProblems {
            InputProblems(
                e.diagnostics.map { d in
                    var d = d
                    if d.location.file == uploaded { d.location.file = name }
                    return d
                })
        }
        return try writes.withLock { _ in
            let outside = regionOf.filter { !policy.ownsSampleEnterprise(region: $0.value) }
            if outside.isEmpty {
                do {
                    let s = try ResultsImporter.run(
                        ResultsImportRequest(sample: t.directory, results: uploaded, input: input, today: today))
                    return Imported(summary: s, carried: 0)
                } catch let e as InputProblems { throw renamed(e) }
            }
            // 1. The upload alone, against the plan of the user's region.
            let check = FileSystem.join(folder, "check")
            try FileSystem.createDirectory(check)
            try FileManager.default.copyItem(atPath: FileSystem.join(t.directory, "audit.json"), toPath: FileSystem.join(check, "audit.json"))
            let plan = try ReferenceTable.load(FileSystem.join(t.directory, "plan.csv"), requiredColumns: ["uscc"])
            let k = plan.header.firstIndex(of: "uscc")!
            let cut = try CSVWriter(path: FileSystem.join(check, "plan.csv"), header: plan.header)
            for row in plan.rows where outside[row[k]] == nil { try cut.row(row) }
            try cut.close()
            do {
                _ = try ResultsImporter.run(
                    ResultsImportRequest(sample: check, results: uploaded, input: FileSystem.join(check, "input"), today: today))
            } catch let e as InputProblems { throw renamed(e) }
            // 2. The upload with the earlier results of the rest of the province, into the sample itself.
            let merged = FileSystem.join(folder, "merged.csv")
            let carried = try mergedResults(t, upload: uploaded, outside: Set(outside.keys), into: merged)
            let s = try ResultsImporter.run(ResultsImportRequest(sample: t.directory, results: merged, input: input, today: today))
            return Imported(summary: s, carried: carried)
        }
    }

    /// Writes the rows of `upload` and the rows of results.csv for the enterprises of `outside` as one results
    /// file (the importer's columns); returns how many rows were carried over.
    static func mergedResults(_ t: InspectionTask, upload: String, outside: Set<String>, into path: String) throws -> Int {
        let columns = ["uscc", "item", "inspected_on", "completed_on", "results"]
        let writer = try CSVWriter(path: path, header: columns)
        let mine = try ReferenceTable.load(upload, requiredColumns: columns)
        let index = columns.map { mine.header.firstIndex(of: $0)! }
        for row in mine.rows { try writer.row(index.map { row[$0] }) }
        var carried = 0
        let published = FileSystem.join(t.directory, "results.csv")
        if FileSystem.exists(published), let audit = t.audit {
            let task = try SamplingTask.load(text: audit.task.text, file: audit.task.file)
            let items = try ItemList.load(audit.policy.items.file).resolve(task)
            let code = Dictionary(items.map { ($0.nameZh, $0.code) }, uniquingKeysWith: { a, _ in a })
            let h = ResultsImporter.publicHeader
            let earlier = try ReferenceTable.load(published, requiredColumns: [h[2], h[4], h[6], h[7], h[8]])
            let at = [h[2], h[4], h[6], h[7], h[8]].map { earlier.header.firstIndex(of: $0)! }
            for row in earlier.rows where outside.contains(row[at[0]]) {
                try writer.row([row[at[0]], code[row[at[1]]] ?? row[at[1]], row[at[2]], row[at[3]], row[at[4]]])
                carried += 1
            }
        }
        try writer.close()
        return carried
    }

    /// The last part of a sender's file name, with nothing that could leave the scratch folder.
    static func uploadName(_ filename: String) -> String {
        let last = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let safe = String(last.unicodeScalars.filter { $0 != "\0" && $0 != ":" })
        return safe.isEmpty || safe == "." || safe == ".." ? "results.csv" : safe
    }

    /// The bytes of a file of the sample folder (`notice.csv`, `results.csv`) as the command line wrote them:
    /// UTF-8 with a byte-order mark and formula-safe cells already, so they are sent unchanged.
    public static func publicFile(_ t: InspectionTask, _ name: String) -> [UInt8]? {
        precondition(SampleOutputs.publicFiles.contains(name), "only the public files are served whole")
        return FileManager.default.contents(atPath: FileSystem.join(t.directory, name)).map { Array($0) }
    }
}
