import DigiTagBase
import DigiTagIO

/// Typed fields for `CSVWriter`, formatted straight into bytes.
///
/// Dates, numbers and codes never need quoting, so they go through `plainField` from a small stack
/// buffer: millions of rows are written without building a `String` for each number or date.
extension CSVWriter {
    /// `YYYY-MM-DD`.
    func date(_ day: Day) {
        let (y, m, d) = day.civil
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { b in
            b[0] = UInt8(48 + y / 1000 % 10)
            b[1] = UInt8(48 + y / 100 % 10)
            b[2] = UInt8(48 + y / 10 % 10)
            b[3] = UInt8(48 + y % 10)
            b[4] = 0x2D
            b[5] = UInt8(48 + m / 10)
            b[6] = UInt8(48 + m % 10)
            b[7] = 0x2D
            b[8] = UInt8(48 + d / 10)
            b[9] = UInt8(48 + d % 10)
            plainField(UnsafeRawBufferPointer(b))
        }
    }

    /// An optional date: empty when absent.
    func date(_ day: Day?) {
        if let day { date(day) } else { empty() }
    }

    /// `YYYY-MM` for a tax period.
    func period(year: Int, month: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 7) { b in
            b[0] = UInt8(48 + year / 1000 % 10)
            b[1] = UInt8(48 + year / 100 % 10)
            b[2] = UInt8(48 + year / 10 % 10)
            b[3] = UInt8(48 + year % 10)
            b[4] = 0x2D
            b[5] = UInt8(48 + month / 10)
            b[6] = UInt8(48 + month % 10)
            plainField(UnsafeRawBufferPointer(b))
        }
    }

    func empty() {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { b in
            plainField(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(b)[0..<0]))
        }
    }

    /// A non-negative integer in decimal.
    func integer(_ value: Int) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 24) { b in
            let n = CSVWriter.digits(of: value, into: b, end: 24)
            plainField(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(b)[(24 - n)...]))
        }
    }

    /// An amount held in hundredths: `1234` → `12.34`, `1200` → `12`, `1230` → `12.30`.
    ///
    /// Whole amounts are written without decimals (as registered capital usually is); others always
    /// with two, so every amount has at most two decimals as the contract requires.
    func amount(cents: Int64) {
        let value = max(0, cents)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 28) { b in
            var end = 28
            let fraction = Int(value % 100)
            if fraction != 0 {
                b[27] = UInt8(48 + fraction % 10)
                b[26] = UInt8(48 + fraction / 10)
                b[25] = 0x2E
                end = 25
            }
            let n = CSVWriter.digits(of: Int(value / 100), into: b, end: end)
            plainField(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(b)[(end - n)..<28]))
        }
    }

    /// `Y` or `N`.
    func flag(_ value: Bool) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1) { b in
            b[0] = value ? 0x59 : 0x4E
            plainField(UnsafeRawBufferPointer(b))
        }
    }

    /// An enum code (ASCII, never needs quoting).
    func code<E: RawRepresentable>(_ value: E) where E.RawValue == String {
        field(value.rawValue)
    }

    /// Writes the decimal digits of `value` right-aligned to `end`, returning how many were written.
    private static func digits(of value: Int, into b: UnsafeMutableBufferPointer<UInt8>, end: Int) -> Int {
        var v = max(0, value)
        var i = end
        repeat {
            i -= 1
            b[i] = UInt8(48 + v % 10)
            v /= 10
        } while v > 0
        return end - i
    }
}
