import ArgumentParser
import DigiTagBase

/// Dates on the command line (`--as-of`) are `YYYY-MM-DD`, checked by the parser: a bad date is a usage
/// error naming the option, before any command runs.
extension Day: ExpressibleByArgument {
    public init?(argument: String) { self.init(iso: argument) }
}
