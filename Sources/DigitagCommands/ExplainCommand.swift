import DigiTagBase
import ArgumentParser
import DataContract
import DigiTagIO
import Foundation
import Query
import RunModel

struct ExplainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Show how one enterprise got its risk class: every scorecard line, the cut-offs and the hard rules.",
        discussion: """
            Recomputes the calculation from the run's published tags with the pipeline's risk model, and says whether it agrees with the class the run published. The pipeline must be the one the run was made with.
            """)

    @Argument(help: "The enterprise's USCC (统一社会信用代码).")
    var uscc: String

    @Option(name: .customLong("run"), help: "A published run directory.")
    var runDirectory = "runs/current"

    @Option(help: "The pipeline file the run was made with.")
    var pipeline = "Pipelines/shandong.yaml"

    func validate() throws {
        if case .failure(let p) = USCC.parse(uscc) { throw ValidationError("'\(uscc)' is not a valid USCC: \(p)") }
    }

    func run() throws {
        try reportingFailures {
            let definition = try PipelineDefinition.load(pipeline)
            guard let e = try RiskExplanation.explain(uscc: uscc, run: runDirectory, definition: definition) else {
                printError("digitag: no enterprise \(uscc) in \(runDirectory) (valid code, but not in this run)")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
            print(e.text)
        }
    }
}
