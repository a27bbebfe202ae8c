/// A calendar date as a count of days since 1970-01-01 (proleptic Gregorian).
///
/// Dates are integers so that windows ("the last 365 days") are subtraction and columns of dates
/// are plain numbers. No time zones are involved: every record date in the sources is a civil date.
public struct Day: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var value: Int32

    public init(_ value: Int32) { self.value = value }

    /// Builds a day from a civil date; `nil` if the month or day is out of range.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= Day.daysIn(month: month, year: year) else { return nil }
        self.value = Int32(Day.daysFromCivil(year: year, month: month, day: day))
    }

    /// Parses `YYYY-MM-DD` exactly (ASCII digits, dashes at positions 5 and 8).
    public init?(iso: String) {
        var utf8 = Array(iso.utf8)
        guard let d = utf8.withUnsafeMutableBytes({ Day(isoBytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = d
    }

    /// Parses `YYYY-MM-DD` from raw bytes without building a `String`.
    @inlinable
    public init?(isoBytes b: UnsafeRawBufferPointer) {
        guard b.count == 10, b[4] == 0x2D, b[7] == 0x2D else { return nil }
        var y = 0, m = 0, d = 0
        for i in 0..<4 {
            let c = Int(b[i]) - 48
            guard c >= 0 && c <= 9 else { return nil }
            y = y * 10 + c
        }
        for i in 5..<7 {
            let c = Int(b[i]) - 48
            guard c >= 0 && c <= 9 else { return nil }
            m = m * 10 + c
        }
        for i in 8..<10 {
            let c = Int(b[i]) - 48
            guard c >= 0 && c <= 9 else { return nil }
            d = d * 10 + c
        }
        guard y >= 1900, y <= 2199 else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public static func < (a: Day, b: Day) -> Bool { a.value < b.value }

    public var civil: (year: Int, month: Int, day: Int) { Day.civilFromDays(Int(value)) }

    public var year: Int { civil.year }

    /// `YYYY-MM-DD`.
    public var description: String {
        let (y, m, d) = civil
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }

    public func adding(days: Int) -> Day { Day(value + Int32(days)) }

    @inlinable
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Howard Hinnant's `days_from_civil`.
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// Howard Hinnant's `civil_from_days`.
    public static func civilFromDays(_ z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}
