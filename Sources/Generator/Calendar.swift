import DigiTagBase

/// Calendar arithmetic the generator needs on top of `Day`, for dates that are valid by construction.
extension Day {
    /// The civil date, with the day clamped to the month's length (31 February → 28/29 February).
    static func clamped(year: Int, month: Int, day: Int) -> Day {
        let d = Swift.min(Swift.max(day, 1), Day.daysIn(month: month, year: year))
        return Day(Int32(Day.daysFromCivil(year: year, month: month, day: d)))
    }

    /// Same month and day `years` later (29 February → 28 February): how licence validity is counted.
    func addingYears(_ years: Int) -> Day {
        let (y, m, d) = civil
        return Day.clamped(year: y + years, month: m, day: d)
    }

    /// The day `months` later, day clamped to the month's length.
    func addingMonths(_ months: Int) -> Day {
        let (y, m, d) = civil
        let total = y * 12 + (m - 1) + months
        return Day.clamped(year: total / 12, month: total % 12 + 1, day: d)
    }

    /// Days from `self` to `other` (positive when `other` is later).
    func days(to other: Day) -> Int { Int(other.value) - Int(value) }

    /// A uniformly random day in `[self, last]`; `self` when the range is empty.
    static func random(from first: Day, through last: Day, _ random: inout Random) -> Day {
        guard last > first else { return first }
        return first.adding(days: random.int(0...first.days(to: last)))
    }
}
