import ArgumentParser
import DigiTagBase
import RunModel

extension TagsCommand {
    /// `digitag tags show`: one tag's definition, where it comes from and what uses it.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one tag's definition and dependencies.")
        @OptionGroup var pipeline: PipelineOption
        @Argument(help: "The tag id.") var id: String

        func run() throws {
            try reportingFailures {
                let d = try pipeline.load()
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
                let usedBy = d.tags(using: id)
                print("  used by tags: \(usedBy.isEmpty ? "none" : usedBy.joined(separator: ", "))")
                let risk = d.scorecardEntries(scoring: id)
                print("  risk scorecard: \(risk.isEmpty ? "not used" : risk.joined(separator: ", "))")
            }
        }
    }
}
