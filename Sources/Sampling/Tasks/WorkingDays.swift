import DataContract
import DigiTagBase
import DigiTagIO

/// Working days, for the 一公开 rule: inspection results are published within 20 working days.
///
/// Monday to Friday are working days, except the listed public holidays; a weekend day listed as a working
/// day (调休, the make-up days around the Spring Festival and National Day) is one. Without a holiday file only
/// weekends are skipped, so a deadline over a public holiday comes out too early — never too late to be safe
/// to act on, but not the legal date: pass the year's official arrangement (国务院办公厅 notice) as a file.
public struct WorkingDays: Sendable {
    public var holidays: Set<Day>
    /// Weekend days that are working days.
    public var workdays: Set<Day>
    /// The file the holidays came from, if any.
    public var source: String?

    public static let weekendsOnly = WorkingDays(holidays: [], workdays: [], source: nil)

    public init(holidays: Set<Day>, workdays: Set<Day>, source: String?) {
        self.holidays = holidays
        self.workdays = workdays
        self.source = source
    }

    /// Monday 0 … Sunday 6 (1970-01-01 was a Thursday).
    public static func weekday(_ d: Day) -> Int { ((Int(d.value) + 3) % 7 + 7) % 7 }

    public func isWorkingDay(_ d: Day) -> Bool {
        if workdays.contains(d) { return true }
        if holidays.contains(d) { return false }
        return WorkingDays.weekday(d) < 5
    }

    /// The `n`-th working day after `d` (`d` itself does not count).
    public func adding(workingDays n: Int, to d: Day) -> Day {
        var day = d
        var left = n
        while left > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { left -= 1 }
        }
        return day
    }

    /// Reads `date,kind` rows, kind `holiday` or `workday`; every bad row is reported with its line.
    public static func load(_ path: String) throws -> WorkingDays {
        let table = try ReferenceTable.load(path, requiredColumns: ["date", "kind"])
        var problems: [Diagnostic] = []
        var holidays = Set<Day>()
        var workdays = Set<Day>()
        let d = table.header.firstIndex(of: "date")!
        let k = table.header.firstIndex(of: "kind")!
        for (row, line) in zip(table.rows, table.lines) {
            let at = SourceLocation(file: path, line: line)
            guard let day = Day(iso: row[d]) else {
                problems.append(Diagnostic(at, "date must be YYYY-MM-DD, found '\(row[d])'"))
                continue
            }
            switch row[k] {
            case "holiday": holidays.insert(day)
            case "workday": workdays.insert(day)
            default: problems.append(Diagnostic(at, "kind must be holiday or workday, found '\(row[k])'"))
            }
        }
        let both = holidays.intersection(workdays)
        for day in both.sorted() { problems.append(Diagnostic(SourceLocation(file: path), "\(day) is listed as both a holiday and a workday")) }
        if !problems.isEmpty { throw DiagnosticsError(problems) }
        return WorkingDays(holidays: holidays, workdays: workdays, source: path)
    }
}
