import ArgumentParser
import Catalog
import DigiTagBase
import DigiTagIO
import Foundation
import Query
import RunModel

struct TagsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tags",
        abstract: "List, show and check the tag catalog.",
        subcommands: [List.self, Show.self, Lint.self, Stats.self, SQL.self])

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tags (id, type, dimension, Chinese name).")
        @Option(help: "The pipeline file.") var pipeline = "Pipelines/shandong.yaml"
        @Option(help: "Only tags of this family.") var family: String?
        @Option(help: "Only tags of this dimension.") var dimension: String?

        func run() throws {
            try reportingFailures {
                let d = try PipelineDefinition.load(pipeline)
                var n = 0
                for t in d.catalog.tags {
                    if let family, t.definition.family != family { continue }
                    if let dimension, t.definition.dimension.rawValue != dimension { continue }
                    print("\(t.id)\t\(t.definition.kind.rawValue)\t\(t.definition.dimension.rawValue)\t\(t.definition.nameZh)")
                    n += 1
                }
                printError("\(n) tags")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one tag's definition and dependencies.")
        @Option(help: "The pipeline file.") var pipeline = "Pipelines/shandong.yaml"
        @Argument(help: "The tag id.") var id: String

        func run() throws {
            try reportingFailures {
                let d = try PipelineDefinition.load(pipeline)
                guard let t = d.catalog.tag(id) else {
                    let hint = closestMatch(to: id, in: d.catalog.indexByID.keys).map { " (did you mean '\($0)'?)" } ?? ""
                    throw ValidationError("no tag '\(id)'\(hint)")
                }
                let def = t.definition
                print("\(def.id) — \(def.nameZh) / \(def.nameEn)")
                print("  type: \(def.kind.rawValue)\(def.unit.map { " (\($0))" } ?? "")")
                print("  family: \(def.family)   dimension: \(def.dimension.rawValue) (\(def.dimension.chineseName))")
                print("  sensitivity: \(def.sensitivity.rawValue)   version: \(def.version)")
                if !def.description.isEmpty { print("  description: \(def.description)") }
                print("  expr: \(def.expression)")
                print("  defined at: \(def.location)")
                if let template = def.template {
                    print("  from family: \(template) with " + def.parameters.map { "\($0.name)=\($0.value)" }.joined(separator: ", "))
                }
                print("  sources: \(t.sources.isEmpty ? "registration" : t.sources.joined(separator: ", "))")
                print("  uses tags: \(t.dependencies.isEmpty ? "none" : t.dependencies.joined(separator: ", "))")
                let usedBy = d.catalog.tags.filter { $0.dependencies.contains(id) }.map(\.id)
                print("  used by tags: \(usedBy.isEmpty ? "none" : usedBy.joined(separator: ", "))")
                let risk = d.risk.entries.filter { $0.tagIndex == d.catalog.indexByID[id] }.map(\.id)
                print("  risk scorecard: \(risk.isEmpty ? "not used" : risk.joined(separator: ", "))")
            }
        }
    }

    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every tag, risk and source file; exit 0 if clean, 1 if not.")
        @Option(help: "The pipeline file.") var pipeline = "Pipelines/shandong.yaml"

        func run() throws {
            do {
                let d = try PipelineDefinition.load(pipeline)
                print("ok: \(d.catalog.tags.count) tags in \(d.tagFiles.count) files, \(d.risk.entries.count) scorecard entries")
            } catch let e as DiagnosticsError {
                print(e.description)
                print("\(e.diagnostics.count) problem\(e.diagnostics.count == 1 ? "" : "s")")
                throw ExitCode(1)
            } catch {
                print("\(error)")
                throw ExitCode(1)
            }
        }
    }

    struct Stats: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Coverage of every tag on a run, and the tags that are constant or duplicate another.",
            discussion: """
                Coverage is the share of enterprises for which a boolean tag is true, or any other tag has a value.
                A constant tag has the same value for every enterprise; a duplicate has exactly the values of an
                earlier tag. Both carry no information on this run's data.
                """)
        @Option(help: "The pipeline file.") var pipeline = "Pipelines/shandong.yaml"
        @Option(name: .customLong("run"), help: "A published run directory.") var runDirectory = "runs/current"
        @Option(help: "Also write every tag's statistics to this CSV file.") var csv: String?

        func run() throws {
            try reportingFailures {
                let d = try PipelineDefinition.load(pipeline)
                let s = try TagStatistics.compute(run: runDirectory, catalog: d.catalog)
                for e in s.entries where e.constant || e.duplicateOf != nil {
                    print("\(e.constant ? "constant " : "duplicate")  \(e.id)" + (e.duplicateOf.map { " = \($0)" } ?? ""))
                }
                let pct = String(format: "%.1f%%", s.uninformativeShare * 100)
                print(
                    "\(s.entries.count) tags over \(s.enterprises) enterprises: \(s.constantCount) constant, "
                        + "\(s.duplicateCount) duplicates (\(pct) carry no information)")
                if let csv {
                    let w = try CSVWriter(path: csv, header: ["id", "type", "family", "coverage", "constant", "duplicate_of"])
                    for e in s.entries {
                        try w.row([e.id, e.type, e.family, String(format: "%.6f", e.coverage), e.constant ? "1" : "0", e.duplicateOf ?? ""])
                    }
                    try w.close()
                    print("written: \(csv)")
                }
            }
        }
    }
}
