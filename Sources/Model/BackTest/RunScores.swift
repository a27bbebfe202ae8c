import Catalog
import DigiTagBase
import DigiTagIO
import Engine
import Inspection
import RunModel

/// One published run's classes and scores, with each enterprise's city and industry section: what the
/// back-test joins inspections to.
public struct RunScores: Sendable {
    public var directory: String
    public var asOf: Day
    public var classCodes: [String]
    public var usccs: [String]
    public var classes: [Int]
    public var scores: [Double]
    public var cities: [String]
    public var industries: [String]
    public var rowOf: [String: Int]
    /// The run's pipeline (its copy in `<run>/pipeline/`): the catalog and the risk model the classes came from.
    public var definition: PipelineDefinition

    /// The industry tag the split by industry reads.
    public static let industryTag = "basic.industry.section"

    public static func load(run: String) throws -> RunScores {
        let manifest = try Manifest.read(FileSystem.join(run, "manifest.json"))
        guard let asOf = Day(iso: manifest.asOf) else {
            throw InputError(file: FileSystem.join(run, "manifest.json"), message: "as_of is not a date: '\(manifest.asOf)'")
        }
        guard RunPipelineCopy.exists(run: run) else {
            throw InputError(file: run, message: "the run has no copy of its pipeline (pipeline/pipeline.yaml): re-run it with this version")
        }
        let definition = try PipelineDefinition.load(RunPipelineCopy.path(run: run))
        let codes = definition.risk.classes.map(\.code)
        let path = FileSystem.join(run, "classes.csv")
        var usccs: [String] = []
        var classes: [Int] = []
        var scores: [Double] = []
        var cities: [String] = []
        var fields: [Int] = []
        try CSVReader(path: path).read(
            onRow: { row in
                if fields.isEmpty {
                    let names = row.strings
                    for c in ["uscc", "city_name", "class", "score"] {
                        guard let i = names.firstIndex(of: c) else { throw InputError(file: path, line: row.line, message: "no column '\(c)'") }
                        fields.append(i)
                    }
                    return
                }
                let code = row.string(fields[2])
                guard let c = codes.firstIndex(of: code) else {
                    throw InputError(file: path, line: row.line, message: "class '\(code)' is not one of the run's model (\(codes.joined(separator: ", ")))")
                }
                guard let score = Double(row.string(fields[3])) else {
                    throw InputError(file: path, line: row.line, message: "score is not a number: '\(row.string(fields[3]))'")
                }
                usccs.append(row.string(fields[0]))
                cities.append(row.string(fields[1]))
                classes.append(c)
                scores.append(score)
            },
            onSyntaxProblem: { p in throw InputError(file: path, line: p.line, message: p.message) })
        var industries = [String](repeating: "", count: usccs.count)
        var rowOf: [String: Int] = [:]
        for (i, u) in usccs.enumerated() { rowOf[u] = i }
        if let t = definition.catalog.tags.firstIndex(where: { $0.id == industryTag }) {
            var vocabulary = definition.catalog.vocabulary
            let read = try RunTagColumns.read(run: run, catalog: definition.catalog, tags: [t], vocabulary: &vocabulary)
            if case .codes(let codes)? = read.columns[t] {
                for (k, u) in read.usccs.enumerated() {
                    if let i = rowOf[u] { industries[i] = vocabulary.text(codes[k]) ?? "" }
                }
            }
        }
        return RunScores(
            directory: run, asOf: asOf, classCodes: codes, usccs: usccs, classes: classes, scores: scores, cities: cities,
            industries: industries, rowOf: rowOf, definition: definition)
    }
}
