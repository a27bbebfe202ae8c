import ArgumentParser
import RunModel

/// `--pipeline` for commands that read a published run: tags and classes only mean something with the
/// pipeline that computed them, so by default the run's own copy (`runs/<as-of>/pipeline/`) is used, from
/// any directory. A pipeline given here is refused unless it is the one the run was made with.
struct RunPipelineOption: ParsableArguments {
    @Option(help: "The pipeline file the run was made with (default: the run's own copy in <run>/pipeline/).")
    var pipeline: String?

    /// The pipeline to read `run` with (`RunPipelineCopy.load`); runs published before runs kept a copy
    /// fall back to the shipped pipeline.
    func load(run: String) throws -> PipelineDefinition {
        try RunPipelineCopy.load(run: run, override: pipeline, fallback: PipelineOption.defaultPath)
    }

    /// The path `load(run:)` reads.
    func path(run: String) -> String {
        RunPipelineCopy.resolvedPath(run: run, override: pipeline, fallback: PipelineOption.defaultPath)
    }
}
