import DigiTagBase

/// An inspection joined to the run before it: the enterprise's class and score as of the run, and what the
/// inspection found.
public struct BackTestUnit: Sendable {
    /// Index into the runs.
    public var run: Int
    /// Row in that run.
    public var row: Int
    public var day: Day
    public var random: Bool
    public var problem: Bool
}

/// Joins inspection visits to the published runs: a visit counts for a run when it falls in the window
/// (as-of, as-of + `windowMonths`], and the enterprise is in the run. A visit in the windows of two runs counts
/// for each (the report shows runs apart; pooled figures say so).
public enum BackTestJoin {
    /// The last day of the window: the as-of date moved `months` calendar months on (the day clamped to the month).
    public static func windowEnd(_ asOf: Day, months: Int) -> Day {
        let c = asOf.civil
        let total = c.year * 12 + (c.month - 1) + months
        let year = total / 12
        let month = total % 12 + 1
        let lastDay = Day.daysIn(month: month, year: year)
        // A month-end as-of date moves to the month's end (2023-12-31 + 12 → 2024-12-31; 2024-02-29 + 12 → 2025-02-28).
        let day = c.day == Day.daysIn(month: c.month, year: c.year) ? lastDay : min(c.day, lastDay)
        return Day(year: year, month: month, day: day)!
    }

    public static func join(runs: [RunScores], visits: [InspectionVisit], windowMonths: Int) -> [BackTestUnit] {
        var units: [BackTestUnit] = []
        for (r, run) in runs.enumerated() {
            let end = windowEnd(run.asOf, months: windowMonths)
            for v in visits where v.day > run.asOf && v.day <= end {
                guard let row = run.rowOf[v.uscc] else { continue }
                units.append(BackTestUnit(run: r, row: row, day: v.day, random: v.random, problem: v.problem))
            }
        }
        return units
    }
}
