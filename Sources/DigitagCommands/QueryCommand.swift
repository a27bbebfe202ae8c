import DigiTagIO
import ArgumentParser
import Foundation
import ProfileStore
import Query
import RunModel

/// `digitag query`: counts and lists of a run's enterprises for a tag expression.
struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Count or list the enterprises of a run for which a tag expression holds.",
        discussion: """
            The expression uses the tag language (docs: README, "The tag language") over tags, registration fields
            (reg.*), region, city, class and score, e.g.
              digitag query "abnormal.listed and tax.rating in ['C','D'] and not inspection.any.1y and region.city == '3702'"
            Aggregates over records (count(…), peers_count(…)) are not available: the store holds tags, not records.
            """)

    @Argument(help: "A condition in the tag language.")
    var expression: String

    @OptionGroup var published: PublishedRunOption

    @OptionGroup var pipeline: RunPipelineOption

    @Flag(help: "Print how many enterprises match (the default).")
    var count = false

    @Option(help: "Count per value of these comma-separated names or expressions, e.g. class,city.")
    var by: String?

    @Flag(help: "List the matching enterprises.")
    var list = false

    @Option(help: "With --list: comma-separated columns (tags, reg.* fields, class, score or expressions).")
    var columns = "class,score"

    @Option(help: "Write the table as CSV (UTF-8 with a byte-order mark) to this file.")
    var csv: String?

    @Option(help: "Output format: table, json or csv.")
    var format: Format = .table

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

    @Flag(help: "Print how long each step took (to standard error).")
    var timing = false

    func validate() throws {
        if [count, by != nil, list].filter({ $0 }).count > 1 { throw ValidationError("choose one of --count, --by and --list") }
        if csv != nil && by == nil && !list { throw ValidationError("--csv goes with --by or --list") }
    }

    func run() throws {
        try reportingFailures {
            var clock = Date()
            var steps: [String] = []
            func lap(_ step: String) {
                steps.append(String(format: "%@ %.1f ms", step, Date().timeIntervalSince(clock) * 1000))
                clock = Date()
            }
            defer { if timing { printError("timing: " + steps.joined(separator: ", ")) } }
            let reader = try StoreReader(run: published.directory)
            lap("open store")
            let definition = try pipeline.load(run: published.directory)
            lap("load pipeline")
            let query = try StoreQuery(reader: reader, definition: definition)
            defer { lap("query") }
            do {
                let table: TextTable
                if let by {
                    table = try query.groupCounts(expression, by: QuerySplit.names(by))
                } else if list {
                    table = try query.list(expression, columns: QuerySplit.names(columns))
                } else {
                    let n = try query.count(expression)
                    let total = reader.meta.enterprises
                    switch format {
                    case .json: print("{\"count\": \(n), \"enterprises\": \(total)}")
                    case .csv: print("count,enterprises\n\(n),\(total)")
                    case .table:
                        print("\(n) of \(total) enterprises (\(String(format: "%.2f", total == 0 ? 0 : Double(n) * 100 / Double(total)))%)")
                    }
                    return
                }
                if let csv {
                    try table.writeCSV(to: csv)
                    print("\(table.rows.count) rows written to \(csv)")
                    return
                }
                switch format {
                case .table: print(table.text())
                case .json: print(table.json())
                case .csv:
                    let tmp = NSTemporaryDirectory() + "digitag-query-\(getpid()).csv"
                    try table.writeCSV(to: tmp, bom: false)
                    print(String(decoding: FileManager.default.contents(atPath: tmp) ?? Data(), as: UTF8.self), terminator: "")
                    try? FileManager.default.removeItem(atPath: tmp)
                }
            } catch let e as QueryError {
                printError(e.description)
                throw ExitCode.validationFailure
            }
        }
    }
}
