import ArgumentParser

extension TagsCommand {
    /// `digitag tags list`: one line per tag, filtered by family or dimension.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tags (id, type, dimension, Chinese name).")
        @OptionGroup var pipeline: PipelineOption
        @Option(help: "Only tags of this family.") var family: String?
        @Option(help: "Only tags of this dimension.") var dimension: String?

        func run() throws {
            try reportingFailures {
                let d = try pipeline.load()
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
}
