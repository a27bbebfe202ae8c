import DigiTagBase
import ArgumentParser
import DataContract
import DigiTagIO
import Foundation
import ProfileStore
import Query

/// How a store command prints its answer.
enum StoreOutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv
}

struct ProfileCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile",
        abstract: "Show one enterprise from a run's profile store: registration, class, score, reasons and every tag.",
        discussion: """
            Reads only the blocks of the store that hold this enterprise. Tags are grouped by dimension and family,
            with their Chinese names. --changes adds what changed since the previous run (the latest other run under
            the same runs folder with an earlier as-of date).
            """)

    @Argument(help: "The enterprise's USCC (统一社会信用代码).")
    var uscc: String

    @Option(name: .customLong("run"), help: "A published run directory.")
    var runDirectory = "runs/current"

    @Option(help: "Output format: table or json.")
    var format: StoreOutputFormat = .table

    @Flag(help: "Also show what changed since the previous run.")
    var changes = false

    @Flag(help: "Print how long opening the store and the lookup took (to standard error).")
    var timing = false

    func validate() throws {
        if case .failure(let p) = USCC.parse(uscc) { throw ValidationError("'\(uscc)' is not a valid USCC: \(p)") }
        if format == .csv { throw ValidationError("--format csv is for tables: use table or json for a profile") }
    }

    func run() throws {
        try reportingFailures {
            let key = try USCC.parse(uscc).get()
            let start = Date()
            let reader = try StoreReader(run: runDirectory)
            let opened = Date()
            let found = try EnterpriseProfile.lookup(uscc: key, reader: reader, run: runDirectory)
            if timing {
                printError(
                    String(
                        format: "timing: open %.1f ms, lookup %.1f ms", opened.timeIntervalSince(start) * 1000,
                        Date().timeIntervalSince(opened) * 1000))
            }
            guard let profile = found else {
                printError("digitag: no enterprise \(uscc) in \(runDirectory) (the code is valid, check character included, but it is not in this run)")
                throw ExitCode(ExitStatus.badInput.rawValue)
            }
            let diff = changes ? try ProfileChanges.compare(profile) : nil
            print(format == .json ? ProfileReport.json(profile, changes: diff) : ProfileReport.text(profile, changes: diff))
        }
    }
}
