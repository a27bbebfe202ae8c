import ArgumentParser
import DigiTagBase

extension TagsCommand {
    /// `digitag tags lint`: loads the whole configuration and lists every problem.
    struct Lint: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every tag, risk and source file; exit 0 if clean, 2 (configuration error) if not.")
        @OptionGroup var pipeline: PipelineOption

        func run() throws {
            do {
                let d = try pipeline.load()
                print("ok: \(d.catalog.tags.count) tags in \(d.tagFiles.count) files, \(d.risk.entries.count) scorecard entries")
            } catch let e as DiagnosticsError {
                print(e.description)
                print("\(e.diagnostics.count) problem\(e.diagnostics.count == 1 ? "" : "s")")
                throw ExitCode(ExitStatus.configuration.rawValue)
            } catch {
                // Other failures (an unreadable file, a code table without its columns) keep their own code.
                let (status, lines) = FailureReport.of(error)
                for line in lines { print(line) }
                throw ExitCode(status.rawValue)
            }
        }
    }
}
