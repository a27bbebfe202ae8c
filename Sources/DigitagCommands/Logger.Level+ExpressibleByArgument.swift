import ArgumentParser
import Logging

/// `--log-level trace|debug|info|notice|warning|error|critical`: swift-log's own level names.
extension Logger.Level: @retroactive ExpressibleByArgument {}
