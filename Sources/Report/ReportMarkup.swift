import DigiTagIO
import Foundation

/// Number formatting and text measures for `report.html` (its text is escaped by `HTMLText`, the one
/// escaper it shares with the served pages).
enum ReportMarkup {
    /// `1234567` → `1,234,567`: an operator reads counts at a glance. No locale: the same bytes everywhere.
    static func count(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }

    /// A share as a percentage with one decimal (`0.0682` → `6.8%`); shares under 0.05% but above zero
    /// show as `<0.1%` so that a handful of rejected rows never reads as none.
    static func percent(_ share: Double) -> String {
        if share > 0 && share < 0.0005 { return "<0.1%" }
        return String(format: "%.1f%%", share * 100)
    }

    /// Percentage points between two shares, signed (`+3.2 pp`).
    static func points(_ delta: Double) -> String { String(format: "%+.1f pp", delta * 100) }

    static func seconds(_ s: Double) -> String {
        if s >= 59.5 {
            let whole = Int(s.rounded())
            return String(format: "%d min %02d s", whole / 60, whole % 60)
        }
        return String(format: s < 10 ? "%.2f s" : "%.1f s", s)
    }

    /// Width in pixels of a line of text at `fontSize`, estimated without a font: a Chinese character
    /// takes about one em, a Latin one about 0.6 em (SVG cannot measure text before it is drawn, and the
    /// charts need to leave room for their labels).
    static func textWidth(_ s: String, fontSize: Double) -> Double {
        Double(TextTable.displayWidth(s)) * fontSize * 0.6
    }
}
