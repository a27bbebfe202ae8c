import DigiTagBase
import ArgumentParser
import Engine
import Query

/// `digitag explain`: one enterprise's risk class, line by line, with the records behind it.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show how one enterprise got its risk class, or a tag its value, down to the records behind it.",
        discussion: """
            Without --tag: every scorecard line, the cut-offs and the hard rules, recomputed from the run's published tags with the pipeline's risk model (and whether it agrees with the class the run published); under each line that scored and each hard rule that fired, the records that made its tags what they are.

            With --tag ID: that tag's value and the records that entered its aggregates, after the filter and the window (for latest/earliest, the record chosen); for a tag that reads other tags, their records, grouped by tag.

            Each record shows its fields (codes by their Chinese label) and where it came from: delivery file and line. The records are the run's own (its evidence/ archive), so the answer is what the run saw that night. The pipeline must be the one the run was made with.

            Examples:
              digitag explain 91370102HANDMADE1C
              digitag explain 91370102HANDMADE1C --tag penalty.count.3y
            """)

    @OptionGroup var enterprise: USCCArgument

    @OptionGroup var published: PublishedRunOption

    @OptionGroup var pipeline: RunPipelineOption

    @Option(name: .customLong("tag"), help: ArgumentHelp("Explain this tag of the catalog instead of the risk class.", valueName: "ID"))
    var tag: String?

    func run() throws {
        try reportingFailures {
            let definition = try pipeline.load(run: published.directory)
            let notHere = "digitag: no enterprise \(enterprise.code) in \(published.directory) (valid code, but not in this run)"
            if let tag {
                guard let t = definition.catalog.indexByID[tag] else {
                    printError("digitag: no tag '\(tag)' in the catalog" + (closestMatch(to: tag, in: definition.catalog.tags.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""))
                    throw ExitCode(ExitStatus.usage.rawValue)
                }
                guard let source = try TagEvidence.Source(run: published.directory, uscc: enterprise.code, definition: definition) else {
                    printError(notHere)
                    throw ExitCode(ExitStatus.badInput.rawValue)
                }
                print("USCC \(enterprise.code)")
                print(source.evidence(tag: t).text())
                return
            }
            guard let e = try RiskExplanation.explain(uscc: enterprise.code, run: published.directory, definition: definition) else {
                printError(notHere)
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
            // A run made before runs kept their records is still explained, without them.
            let archived = EvidenceFormat.exists(run: published.directory)
            let source = archived ? try TagEvidence.Source(run: published.directory, uscc: enterprise.code, definition: definition) : nil
            print(e.text(evidence: source, model: definition.risk))
            if !archived { print("(this run keeps no records: it was made before runs kept their evidence/)") }
        }
    }
}
