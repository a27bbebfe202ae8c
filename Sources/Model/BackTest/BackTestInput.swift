import DigiTagBase
import Engine
import RunModel

/// What a back-test or a fit reads: the published runs under a directory, oldest first, and the inspections
/// that followed them, joined.
public struct BackTestInput: Sendable {
    public var runs: [RunScores]
    public var visits: [InspectionVisit]
    public var units: [BackTestUnit]
    public var inspectionFiles: [String]

    /// - Parameters:
    ///   - runsRoot: the runs directory (`runs/`): every published run in it, or only `only` when given.
    ///   - input: the directory whose `market/inspections*.csv` are read; the latest run's input when nil.
    ///   - results: more inspection files in the same format.
    public static func load(runsRoot: String, only: [String] = [], input: String?, results: [String], windowMonths: Int) throws -> BackTestInput {
        let entries = RunHistory.list(root: runsRoot).filter { only.isEmpty || only.contains($0.name) }
        guard !entries.isEmpty else {
            throw InputError(file: runsRoot, message: "no published runs here (directories named by as-of date with a manifest)")
        }
        let runs = try entries.map { try RunScores.load(run: FileSystem.join(runsRoot, $0.name)) }
        var inputDirectory = input
        if inputDirectory == nil, let recorded = entries.last?.manifest?.input {
            // The manifest records the input as the run was given it: a relative path is relative to where the run
            // was started, most often the folder holding the runs directory.
            let besideRuns = FileSystem.join(FileSystem.directoryOf(runsRoot), recorded)
            inputDirectory = !recorded.hasPrefix("/") && !FileSystem.isDirectory(recorded) && FileSystem.isDirectory(besideRuns) ? besideRuns : recorded
        }
        var files = inputDirectory.map { InspectionVisits.sourceFiles(input: $0) } ?? []
        files += results
        guard !files.isEmpty else {
            throw InputError(
                file: inputDirectory ?? runsRoot,
                message: "no inspection records (market/inspections*.csv) to back-test against"
                    + (input == nil ? " in the latest run's input as its manifest records it" : "") + ": give --input or --results")
        }
        let visits = try InspectionVisits.read(files)
        return BackTestInput(
            runs: runs, visits: visits, units: BackTestJoin.join(runs: runs, visits: visits, windowMonths: windowMonths), inspectionFiles: files)
    }
}
