import DataContract
import DigiTagBase

/// Parses field bytes into stored values, without building `String`s. `nil` means "not valid".
public enum FieldParser {
    @inlinable
    static func digit(_ b: UInt8) -> Int? { b >= 48 && b <= 57 ? Int(b - 48) : nil }

    /// A whole number, optional leading minus.
    @inlinable
    public static func integer(_ b: UnsafeRawBufferPointer) -> Double? {
        guard !b.isEmpty else { return nil }
        var i = 0
        var negative = false
        if b[0] == 0x2D {
            negative = true
            i = 1
        }
        guard i < b.count, b.count - i <= 15 else { return nil }
        var v = 0
        while i < b.count {
            guard let d = digit(b[i]) else { return nil }
            v = v * 10 + d
            i += 1
        }
        return Double(negative ? -v : v)
    }

    /// A decimal number: optional minus (if `allowNegative`), digits, optional '.' and up to `maxDecimals` digits.
    @inlinable
    public static func decimal(_ b: UnsafeRawBufferPointer, allowNegative: Bool, maxDecimals: Int) -> Double? {
        guard !b.isEmpty else { return nil }
        var i = 0
        var negative = false
        if b[0] == 0x2D {
            guard allowNegative else { return nil }
            negative = true
            i = 1
        }
        var whole = 0
        var wholeDigits = 0
        while i < b.count, let d = digit(b[i]) {
            whole = whole &* 10 &+ d
            wholeDigits += 1
            i += 1
        }
        guard wholeDigits > 0, wholeDigits <= 15 else { return nil }
        var fraction = 0
        var scale = 1
        if i < b.count {
            guard b[i] == 0x2E else { return nil }
            i += 1
            var decimals = 0
            while i < b.count, let d = digit(b[i]) {
                fraction = fraction * 10 + d
                scale *= 10
                decimals += 1
                i += 1
            }
            guard decimals >= 1, decimals <= maxDecimals, i == b.count else { return nil }
        }
        let v = Double(whole) + Double(fraction) / Double(scale)
        return negative ? -v : v
    }

    /// `YYYY-MM-DD` as days since 1970.
    @inlinable
    public static func date(_ b: UnsafeRawBufferPointer) -> Double? {
        Day(isoBytes: b).map { Double($0.value) }
    }

    /// `YYYY-MM` as the day of the month's first day.
    @inlinable
    public static func period(_ b: UnsafeRawBufferPointer) -> Double? {
        guard b.count == 7, b[4] == 0x2D else { return nil }
        var y = 0
        for i in 0..<4 {
            guard let d = digit(b[i]) else { return nil }
            y = y * 10 + d
        }
        guard let m1 = digit(b[5]), let m2 = digit(b[6]), y >= 1900, y <= 2199 else { return nil }
        return Day(year: y, month: m1 * 10 + m2, day: 1).map { Double($0.value) }
    }

    @inlinable
    public static func year(_ b: UnsafeRawBufferPointer) -> Double? {
        guard b.count == 4, let v = integer(b), v >= 1900, v <= 2199 else { return nil }
        return v
    }

    @inlinable
    public static func flag(_ b: UnsafeRawBufferPointer) -> Double? {
        guard b.count == 1 else { return nil }
        switch b[0] {
        case 0x59, 0x79: return 1  // Y y
        case 0x4E, 0x6E: return 0  // N n
        default: return nil
        }
    }

    /// True if the bytes are valid UTF-8 (text fields are checked, not interpreted).
    public static func isValidUTF8(_ b: UnsafeRawBufferPointer) -> Bool {
        var it = b.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// What is wrong with a text field's bytes, or nil: not UTF-8, or a NUL byte (which C-string
    /// consumers and spreadsheets cut the value at, so it never reaches a published file).
    public static func textProblem(_ b: UnsafeRawBufferPointer) -> String? {
        if let nul = b.firstIndex(of: 0) { return "contains a NUL byte (\\0) at byte \(nul + 1) of the field" }
        return isValidUTF8(b) ? nil : "not valid UTF-8 text"
    }

    /// How a numeric field's bytes are read: the field's type with its schema flags applied.
    public enum NumberKind: Sendable {
        case date, openEndedDate, count, integer, amount, number, year, period, flag, notNumeric

        public init(_ spec: FieldSpec) {
            switch spec.type {
            case .date: self = spec.openEnded ? .openEndedDate : .date
            case .integer: self = spec.signed ? .integer : .count
            case .amount: self = .amount
            case .number: self = .number
            case .year: self = .year
            case .period: self = .period
            case .flag: self = .flag
            default: self = .notNumeric
            }
        }

        /// What a person should have written, for reject reasons.
        public var expectation: String {
            switch self {
            case .date: FieldType.date.expectation
            case .openEndedDate: FieldType.date.expectation + " (or 9999-12-31 for no end, 0001-01-01 for unknown)"
            case .count: "a whole number, 0 or more"
            case .integer: FieldType.integer.expectation
            case .amount: FieldType.amount.expectation
            case .number: FieldType.number.expectation
            case .year: FieldType.year.expectation
            case .period: FieldType.period.expectation
            case .flag: FieldType.flag.expectation
            case .notNumeric: "a value"
            }
        }
    }

    /// The day `9999-12-31` ("long-term") reads as: the last day the engine's dates reach.
    public static let openEndedDay = Double(Day(year: 2199, month: 12, day: 31)!.value)

    /// Parses a numeric field by its kind; `nil` means "not valid", `.nan` a valid "unknown" (0001-01-01).
    @inlinable
    public static func value(_ kind: NumberKind, _ b: UnsafeRawBufferPointer) -> Double? {
        switch kind {
        case .date: return date(b)
        case .openEndedDate:
            if let d = date(b) { return d }
            if b.elementsEqual("9999-12-31".utf8) { return openEndedDay }
            if b.elementsEqual("0001-01-01".utf8) { return .nan }
            return nil
        case .count:
            guard let v = integer(b), v >= 0 else { return nil }
            return v
        case .integer: return integer(b)
        case .amount: return decimal(b, allowNegative: false, maxDecimals: 2)
        case .number: return decimal(b, allowNegative: true, maxDecimals: 6)
        case .year: return year(b)
        case .period: return period(b)
        case .flag: return flag(b)
        case .notNumeric: return nil
        }
    }
}
