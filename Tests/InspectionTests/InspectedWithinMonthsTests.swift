@testable import Inspection
import DigiTagBase
import Testing

/// `exclude_inspected_within_months: N` counts calendar months, not 30- or 365-day blocks: an enterprise is
/// left out when its latest inspection is after the same day N months before the as-of date (the day clamped
/// to the month's length), so an inspection on that very day is not "within". docs/regulators.md states it.
@Suite struct InspectedWithinMonthsTests {
    func before(_ day: String, _ months: Int) -> String { SampleScope.monthsBefore(Day(iso: day)!, months: months).description }
    func span(_ day: String, _ months: Int) -> Int32 { Day(iso: day)!.value - SampleScope.monthsBefore(Day(iso: day)!, months: months).value }

    @Test func twelveMonthsAreCalendarMonthsAcrossLeapYears() {
        #expect(before("2024-12-31", 12) == "2023-12-31")
        #expect(span("2024-12-31", 12) == 366)  // 2024 has a 29 February
        #expect(span("2023-12-31", 12) == 365)
        #expect(before("2024-02-29", 12) == "2023-02-28")  // no 29 February in 2023: clamped
        #expect(span("2024-02-29", 12) == 366)
        #expect(before("2025-02-28", 12) == "2024-02-28")
        #expect(span("2025-02-28", 12) == 366)
        #expect(before("2025-03-01", 12) == "2024-03-01")
        #expect(span("2025-03-01", 12) == 365)
        #expect(before("2024-03-31", 1) == "2024-02-29")
        #expect(before("2024-01-15", 1) == "2023-12-15")
        #expect(before("2024-12-31", 24) == "2022-12-31")
    }
}
