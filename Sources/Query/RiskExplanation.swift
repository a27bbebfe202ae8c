import Catalog
import DataContract
import DigiTagBase
import DigiTagIO
import Engine
import Foundation
import Risk
import RunModel

/// The whole risk calculation of one enterprise, recomputed from a published run's tags.
public struct RiskExplanation: Sendable {
    public struct Line: Sendable {
        public var entryID: String
        public var nameZh: String
        public var nameEn: String
        public var value: String
        public var points: Double
    }

    public struct Rule: Sendable {
        public var id: String
        public var nameZh: String
        public var nameEn: String
        public var condition: String
        public var effect: String
        public var fired: Bool
    }

    public var uscc: String
    /// The enterprise's name as the run published it (classes.csv), empty if it has none.
    public var name: String
    public var lines: [Line]
    public var score: Double
    public var scoreClass: String
    public var finalClass: String
    public var cutoffs: [(code: String, nameZh: String, minScore: Double)]
    public var rules: [Rule]
    /// The class the run published, to show it agrees.
    public var publishedClass: String?

    public static func explain(uscc: String, run: String, definition: PipelineDefinition) throws -> RiskExplanation? {
        let manifest = try Manifest.read(FileSystem.join(run, "manifest.json"))
        guard manifest.pipelineHash == definition.hash else {
            throw Diagnostic(
                SourceLocation(file: definition.path),
                "the pipeline changed since run \(run) was made (hash \(manifest.pipelineHash.prefix(12))… ≠ \(definition.hash.prefix(12))…)",
                hint: "explain with the pipeline files of that run, or run again")
        }
        let catalog = definition.catalog
        guard let row = try StoreTagRow.read(run: run, uscc: uscc, catalog: catalog) else { return nil }
        let model = definition.risk
        // A one-enterprise shard: risk rules read tags only, so no records or registration columns are needed.
        let shard = ShardData(ordinals: 0..<1, keys: [0], entityNumbers: [], entityCodes: [], records: [])
        let evaluator = TagEvaluator(catalog: catalog, asOf: Day(iso: manifest.asOf)!)
        var entryColumns: [Int: [Double]] = [:]
        for (i, e) in model.entries.enumerated() {
            if let plan = e.expression { entryColumns[i] = evaluator.evaluate(plan, shard: shard, tags: row.columns).numbers }
        }
        let ruleColumns = model.hardRules.map { evaluator.evaluate($0.condition, shard: shard, tags: row.columns).numbers }
        let result = RiskScorer(model: model).score(count: 1, tags: row.columns, entryColumns: entryColumns, ruleColumns: ruleColumns)[0]
        var points: [Int: Double] = [:]
        for c in result.contributions { points[c.entry, default: 0] += c.points }
        var lines: [Line] = []
        for (i, e) in model.entries.enumerated() {
            let value: String
            if let t = e.tagIndex {
                value = ValueFormat.value(row.columns[t], 0, type: catalog.tags[t].type, vocabulary: catalog.vocabulary)
            } else {
                value = entryColumns[i]![0] != 0 ? "true" : "false"
            }
            lines.append(Line(entryID: e.id, nameZh: e.nameZh, nameEn: e.nameEn, value: value.isEmpty ? "(empty)" : value, points: points[i] ?? 0))
        }
        let rules = model.hardRules.enumerated().map { k, r in
            Rule(
                id: r.id, nameZh: r.nameZh, nameEn: r.nameEn, condition: r.conditionText,
                effect: r.atLeast.map { "at least \(model.classes[$0].code)" } ?? r.atMost.map { "at most \(model.classes[$0].code)" } ?? "",
                fired: result.firedRules.contains(k))
        }
        let published = try publishedRow(run: run, uscc: uscc)
        return RiskExplanation(
            uscc: uscc, name: published?.name ?? "", lines: lines, score: result.score, scoreClass: model.classes[result.scoreClassIndex].code,
            finalClass: model.classes[result.classIndex].code, cutoffs: model.classes.map { ($0.code, $0.nameZh, $0.minScore) },
            rules: rules, publishedClass: published?.riskClass)
    }

    /// The class and name `classes.csv` publishes for the enterprise.
    static func publishedRow(run: String, uscc: String) throws -> (riskClass: String, name: String)? {
        guard let (header, row) = try CSVRowLookup.find(path: FileSystem.join(run, "classes.csv"), key: uscc),
            let i = header.firstIndex(of: "class"), i < row.count
        else { return nil }
        let name = header.firstIndex(of: "name").flatMap { $0 < row.count ? row[$0] : nil } ?? ""
        return (row[i], name)
    }

    /// The calculation as a person reads it.
    public var text: String { text(evidence: nil) }

    /// The calculation with, under each scorecard line that scored and each hard rule that fired, the records
    /// behind its tags (`TagEvidence`), read from the run's evidence archive.
    public func text(evidence source: TagEvidence.Source?, model: RiskModel? = nil) -> String {
        func records(_ tags: Set<Int>) -> [String] {
            guard let source else { return [] }
            return tags.sorted().map { source.evidence(tag: $0).text(indent: "        ") }
        }
        var out: [String] = []
        out.append("USCC \(uscc)" + (name.isEmpty ? "" : "  \(name)"))
        out.append("Scorecard (points when the tag says so):")
        // Columns measured in terminal cells, so Chinese values (two cells a character) line up too.
        let width = lines.map { TextTable.displayWidth($0.entryID) }.max() ?? 10
        let valueWidth = max(10, lines.map { TextTable.displayWidth($0.value) }.max() ?? 10)
        for l in lines {
            let mark = l.points != 0 ? "→" : " "
            let pts = l.points != 0 ? (l.points > 0 ? "+" : "") + ValueFormat.number(l.points) : "0"
            out.append(
                "  \(mark) \(TextTable.pad(l.entryID, width))  value \(TextTable.pad(l.value, valueWidth)) \(TextTable.pad(pts, 5))  \(l.nameZh) / \(l.nameEn)")
            if l.points != 0, let entry = model?.entries.first(where: { $0.id == l.entryID }) {
                out += records(entry.tagIndex.map { [$0] } ?? entry.expression?.tagIndices ?? [])
            }
        }
        out.append("Score: \(ValueFormat.number(score))")
        out.append(
            "Cut-offs: " + cutoffs.map { "\($0.code) \($0.nameZh) ≥ \(ValueFormat.number($0.minScore))" }.joined(separator: ", ")
                + " → score class \(scoreClass)")
        out.append("Hard rules:")
        for r in rules {
            out.append("  \(r.fired ? "fired" : "  -  ") \(r.id): when \(r.condition) → \(r.effect)  \(r.nameZh) / \(r.nameEn)")
            if r.fired, let rule = model?.hardRules.first(where: { $0.id == r.id }) { out += records(rule.condition.tagIndices) }
        }
        out.append("Class: \(finalClass)" + (publishedClass.map { $0 == finalClass ? " (as published)" : " (the run published \($0)!)" } ?? ""))
        return out.joined(separator: "\n")
    }
}
