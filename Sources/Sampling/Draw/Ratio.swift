/// A sampling ratio as an exact decimal: `numerator / 10^scale` (e.g. 0.014 = 14 / 10³).
///
/// Ratios are exact so that quotas (`size × ratio`) and their rounding never depend on binary floating
/// point: anyone recomputing a stratum's size by hand gets the same whole part and remainder.
public struct Ratio: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let numerator: Int64
    /// Decimal places, at most `maximumScale`.
    public let scale: Int

    public static let maximumScale = 9

    public init(numerator: Int64, scale: Int) {
        precondition(scale >= 0 && scale <= Ratio.maximumScale)
        // Normalise: no trailing zeros, so equal ratios compare and print equally.
        var n = numerator
        var s = scale
        while s > 0 && n % 10 == 0 {
            n /= 10
            s -= 1
        }
        self.numerator = n
        self.scale = s
    }

    /// Parses `0.014`, `1`, `.5`, or a percentage `1.4%`. `nil` if not a decimal in [0, 1] with at most
    /// nine decimal places (after converting a percentage).
    public init?(text: String) {
        var t = Substring(text)
        while t.first == " " { t = t.dropFirst() }
        while t.last == " " { t = t.dropLast() }
        var percent = false
        if t.hasSuffix("%") {
            percent = true
            t = t.dropLast()
            while t.last == " " { t = t.dropLast() }
        }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, !t.isEmpty else { return nil }
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        guard whole.allSatisfy(\.isASCIIDigit), fraction.allSatisfy(\.isASCIIDigit), !(whole.isEmpty && fraction.isEmpty)
        else { return nil }
        var scale = fraction.count + (percent ? 2 : 0)
        var digits = String(whole) + String(fraction)
        while scale > Ratio.maximumScale, digits.last == "0" {
            digits.removeLast()
            scale -= 1
        }
        guard scale <= Ratio.maximumScale, digits.count <= 18, let n = Int64(digits.isEmpty ? "0" : digits) else { return nil }
        let r = Ratio(numerator: n, scale: scale)
        guard r <= Ratio.one else { return nil }
        self = r
    }

    /// The ratio with the decimal digits of `value`'s shortest representation (0.014 → 14/10³).
    public init?(_ value: Double) {
        guard value.isFinite, value >= 0, value <= 1 else { return nil }
        // `description` gives the shortest text that reads back as the same Double; reject exponents.
        let text = value.description
        guard !text.contains("e"), let r = Ratio(text: text) else { return nil }
        self = r
    }

    public static let one = Ratio(numerator: 1, scale: 0)
    public static let zero = Ratio(numerator: 0, scale: 0)

    public var doubleValue: Double { Double(numerator) / Double(Ratio.power(scale)) }

    /// The numerator over `10^scale` for a larger common scale.
    public func numerator(atScale s: Int) -> Int64 { numerator * Ratio.power(s - scale) }

    public static func power(_ k: Int) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// Decimal text without trailing zeros: `0.014`, `0.1`, `1`.
    public var description: String {
        if scale == 0 { return String(numerator) }
        let p = Ratio.power(scale)
        let frac = String(numerator % p)
        return "\(numerator / p)." + String(repeating: "0", count: scale - frac.count) + frac
    }

    /// As a percentage for people: `1.4%`, `10%`.
    public var percentText: String {
        let hundredfold = Ratio(numerator: numerator, scale: max(0, scale - 2))
        let shifted = scale >= 2 ? hundredfold : Ratio(numerator: numerator * Ratio.power(2 - scale), scale: 0)
        return shifted.description + "%"
    }

    public static func < (a: Ratio, b: Ratio) -> Bool {
        let s = max(a.scale, b.scale)
        return a.numerator(atScale: s) < b.numerator(atScale: s)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
