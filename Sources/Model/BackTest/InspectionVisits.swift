import DataContract
import DigiTagBase
import DigiTagIO
import Engine

/// One inspection visit: an enterprise inspected on a day, at random (双随机) or targeted, and whether any
/// item's result was a problem (anything but `no_problem`).
public struct InspectionVisit: Sendable, Equatable {
    public var uscc: String
    public var day: Day
    public var random: Bool
    public var problem: Bool
}

/// Reads inspection records in the `market/inspections` source format (`uscc,inspected_on,item,random,result`,
/// one row per item and result, as the generator writes them and `results import` appends them) and groups
/// them into visits: the rows of one enterprise, day and channel are one visit.
public enum InspectionVisits {
    public static let columns = ["uscc", "inspected_on", "item", "random", "result"]

    /// The files of the `inspections` source in an input directory: `market/inspections.csv[.zst]` and its parts
    /// (`market/inspections-<task>.csv`, written by `results import`).
    public static func sourceFiles(input: String) -> [String] {
        let market = FileSystem.join(input, "market")
        return FileSystem.list(market).filter {
            $0.hasPrefix("inspections") && ($0.hasSuffix(".csv") || $0.hasSuffix(".csv.zst"))
        }.sorted().map { FileSystem.join(market, $0) }
    }

    /// - Returns: visits sorted by enterprise, day and channel.
    public static func read(_ paths: [String]) throws -> [InspectionVisit] {
        struct Key: Hashable {
            var uscc: String
            var day: Day
            var random: Bool
        }
        var problems: [Key: Bool] = [:]
        for path in paths {
            var fields: [Int] = []
            try CSVReader(path: path).read(
                onRow: { row in
                    if fields.isEmpty {
                        let names = row.strings
                        for c in columns {
                            guard let i = names.firstIndex(of: c) else {
                                throw InputError(file: path, line: row.line, message: "no column '\(c)': expected \(columns.joined(separator: ","))")
                            }
                            fields.append(i)
                        }
                        return
                    }
                    guard let day = Day(isoBytes: row.field(fields[1])) else {
                        throw InputError(file: path, line: row.line, message: "inspected_on is not a date (YYYY-MM-DD): '\(row.string(fields[1]))'")
                    }
                    let randomText = row.string(fields[3])
                    guard randomText == "Y" || randomText == "N" else {
                        throw InputError(file: path, line: row.line, message: "random must be Y or N, not '\(randomText)'")
                    }
                    let resultText = row.string(fields[4])
                    guard let result = InspectionResultCode(code: resultText) else {
                        throw InputError(file: path, line: row.line, message: "unknown result code '\(resultText)'")
                    }
                    let key = Key(uscc: row.string(fields[0]), day: day, random: randomText == "Y")
                    problems[key] = (problems[key] ?? false) || result != .noProblem
                },
                onSyntaxProblem: { p in throw InputError(file: path, line: p.line, message: p.message) })
            if fields.isEmpty { throw InputError(file: path, message: "the file is empty") }
        }
        return problems.map { InspectionVisit(uscc: $0.key.uscc, day: $0.key.day, random: $0.key.random, problem: $0.value) }
            .sorted { ($0.uscc, $0.day.value, $0.random ? 1 : 0) < ($1.uscc, $1.day.value, $1.random ? 1 : 0) }
    }
}
