import ArgumentParser
import RunModel

/// `--pipeline` where any pipeline file will do: the commands that read or check the configuration itself.
struct PipelineOption: ParsableArguments {
    /// The pipeline every `--pipeline` defaults to.
    static let defaultPath = "Pipelines/shandong.yaml"

    @Option(help: "The pipeline file.")
    var pipeline = PipelineOption.defaultPath

    var path: String { pipeline }

    /// Loads and checks the pipeline with its catalog, risk model and sources.
    func load() throws -> PipelineDefinition { try PipelineDefinition.load(pipeline) }
}
