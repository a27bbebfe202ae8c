import DigiTagBase
import ArgumentParser
import Query

/// `digitag explain`: one enterprise's risk class, line by line.
struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show how one enterprise got its risk class: every scorecard line, the cut-offs and the hard rules.",
        discussion: """
            Recomputes the calculation from the run's published tags with the pipeline's risk model, and says whether it agrees with the class the run published. The pipeline must be the one the run was made with.
            """)

    @OptionGroup var enterprise: USCCArgument

    @OptionGroup var published: PublishedRunOption

    @OptionGroup var pipeline: RunPipelineOption

    func run() throws {
        try reportingFailures {
            let definition = try pipeline.load(run: published.directory)
            guard let e = try RiskExplanation.explain(uscc: enterprise.code, run: published.directory, definition: definition) else {
                printError("digitag: no enterprise \(enterprise.code) in \(published.directory) (valid code, but not in this run)")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
            print(e.text)
        }
    }
}
