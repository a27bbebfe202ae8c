import ArgumentParser

/// `--format` for answers that are a report rather than one table: `table` for people, `json` for programs.
struct TableOrJSONOption: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "Output format: table or json.")
    var format: Format = .table
}
