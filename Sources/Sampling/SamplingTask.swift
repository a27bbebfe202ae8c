import DigiTagBase
import Foundation

/// An inspection task as a regulator defines it (`Pipelines/tasks/*.yaml`).
public struct SamplingTask: Sendable {
    public var id: String
    public var nameZh: String
    public var nameEn: String
    /// What makes a stratum: `class`, and optionally `county` or `city`.
    public var strata: [String]
    /// Sampling ratio per risk class.
    public var ratios: [String: Double]
    public var minimumPerStratum: Int
    public var maximumPerStratum: Int?
    /// The task file's exact text, hashed into the audit record.
    public var sourceText: String

    public static let strataKeys: Set<String> = ["class", "county", "city"]

    public init(
        id: String, nameZh: String, nameEn: String, strata: [String], ratios: [String: Double], minimumPerStratum: Int,
        maximumPerStratum: Int?, sourceText: String
    ) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.strata = strata
        self.ratios = ratios
        self.minimumPerStratum = minimumPerStratum
        self.maximumPerStratum = maximumPerStratum
        self.sourceText = sourceText
    }

    public static func load(path: String) throws -> SamplingTask {
        try load(text: try FileSystem.readText(path), file: path)
    }

    public static func load(text: String, file: String) throws(DiagnosticsError) -> SamplingTask {
        let root = try YAMLNode.parse(text, file: file)
        var r = YAMLFieldReader(root, what: "the task")
        let id = r.string("id", required: true) ?? "?"
        let nameZh = r.string("name_zh") ?? id
        let nameEn = r.string("name_en") ?? id
        let strata = r.strings("strata") ?? ["class"]
        var ratios: [String: Double] = [:]
        if let node = r.node("ratios", required: true) {
            for (cls, loc, value) in node.pairs {
                guard let d = value.scalarText.flatMap(Double.init), d >= 0, d <= 1 else {
                    r.report(Diagnostic(loc, "ratio for class \(cls) must be a number from 0 to 1 (e.g. 0.014 for 1.4%)"))
                    continue
                }
                ratios[cls] = d
            }
        }
        let minimum = r.int("min_per_stratum") ?? 0
        let maximum = r.int("max_per_stratum")
        for s in strata where !strataKeys.contains(s) {
            r.report(
                Diagnostic(
                    root["strata"]?.location ?? root.location, "unknown stratum key '\(s)'",
                    hint: "use " + strataKeys.sorted().joined(separator: ", ")))
        }
        let problems = r.finish()
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return SamplingTask(
            id: id, nameZh: nameZh, nameEn: nameEn, strata: strata, ratios: ratios, minimumPerStratum: minimum,
            maximumPerStratum: maximum, sourceText: text)
    }
}
