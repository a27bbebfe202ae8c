import ArgumentParser
import RunModel

/// `--pipeline` for commands that read a published run: tags and classes only mean something with the
/// pipeline that computed them (`sample draw` refuses any other).
struct RunPipelineOption: ParsableArguments {
    @Option(help: "The pipeline file the run was made with.")
    var pipeline = PipelineOption.defaultPath

    var path: String { pipeline }

    /// Loads and checks the pipeline with its catalog, risk model and sources.
    func load() throws -> PipelineDefinition { try PipelineDefinition.load(pipeline) }
}
