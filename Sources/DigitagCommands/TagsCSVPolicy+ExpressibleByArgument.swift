import ArgumentParser
import NightlyRun

/// `--tags-csv auto|always|never`.
extension TagsCSVPolicy: ExpressibleByArgument {}
