import DigiTagBase
import Foundation

/// A horizontal bar chart as inline SVG, for `report.html`: one labelled bar per row, each bar made of
/// one or more coloured segments (stacked), a note after it.
///
/// Hand-written SVG rather than a charting library: the page must open on an offline workstation with
/// nothing but a browser, so it carries no script and no external file. Every segment has a `<title>`,
/// which browsers show on hover, so exact numbers are one pointer away; the notes carry the key ones.
struct ReportBarChart {
    struct Segment {
        var value: Double
        /// A CSS colour (`#2e7d32`).
        var colour: String
        /// Shown on hover.
        var title: String
    }

    struct Bar {
        var label: String
        var segments: [Segment]
        /// Text after the bar (counts, a share, a duration).
        var note: String
        /// Draws the note in the warning colour (rejected rows, empty families).
        var warn = false
    }

    enum Scale {
        /// Lengths proportional to the bars' totals; the longest spans the plot.
        case longest
        /// Every bar spans the plot and its segments are shares of it: a mix (classes within a city).
        case shares
        /// `full` spans the plot (1 for shares such as coverage): bars of different charts compare.
        case upTo(Double)
    }

    var caption: String
    var bars: [Bar]
    var scale: Scale
    var width = 900.0
    var barHeight = 18.0
    var gap = 5.0
    var fontSize = 12.0

    static let warningColour = "#b71c1c"
    static let textColour = "#222"

    /// The SVG element: width `width`, height as the bars need; it scales down with the page (CSS).
    func svg() -> String {
        let pad = 6.0
        let labelWidth = min(width * 0.4, (bars.map { ReportMarkup.textWidth($0.label, fontSize: fontSize) }.max() ?? 0) + pad * 2)
        let noteWidth = (bars.map { ReportMarkup.textWidth($0.note, fontSize: fontSize) }.max() ?? 0) + pad * 2
        let plotX = labelWidth
        let plotWidth = max(80, width - labelWidth - noteWidth)
        let hasAxis: Bool
        let full: Double
        switch scale {
        case .longest:
            hasAxis = false
            full = bars.map { $0.segments.reduce(0) { $0 + max(0, $1.value) } }.max() ?? 0
        case .shares: (hasAxis, full) = (true, 1)
        case .upTo(let f): (hasAxis, full) = (true, f)
        }
        let top = hasAxis ? 18.0 : 2.0
        let height = top + Double(bars.count) * (barHeight + gap) + 2
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" height=\"\(n(height))\""
        out += " role=\"img\" aria-label=\(HTMLText.attribute(caption))>"
        out += "<title>\(HTMLText.escape(caption))</title>"
        if hasAxis {
            // Light gridlines at quarters, labelled in percent of `full`.
            for q in 0...4 {
                let x = plotX + plotWidth * Double(q) / 4
                out += "<line x1=\"\(n(x))\" y1=\"\(n(top - 4))\" x2=\"\(n(x))\" y2=\"\(n(height - 2))\" stroke=\"#ddd\" stroke-width=\"1\"/>"
                let label = full == 1 ? "\(q * 25)%" : ReportMarkup.count(Int((full * Double(q) / 4).rounded()))
                out += "<text x=\"\(n(x))\" y=\"\(n(top - 7))\" font-size=\"\(n(fontSize - 2))\" fill=\"#666\" text-anchor=\"middle\">"
                out += "\(HTMLText.escape(label))</text>"
            }
        }
        for (i, bar) in bars.enumerated() {
            let y = top + Double(i) * (barHeight + gap)
            let middle = y + barHeight / 2
            out += "<text x=\"\(n(plotX - pad))\" y=\"\(n(middle))\" font-size=\"\(n(fontSize))\" fill=\"\(Self.textColour)\""
            out += " text-anchor=\"end\" dominant-baseline=\"central\">\(HTMLText.escape(bar.label))</text>"
            let total = bar.segments.reduce(0) { $0 + max(0, $1.value) }
            let denominator: Double
            switch scale {
            case .shares: denominator = total
            case .longest, .upTo: denominator = full
            }
            var x = plotX
            if denominator > 0 {
                for s in bar.segments where s.value > 0 {
                    let w = plotWidth * s.value / denominator
                    out += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(barHeight))\" fill=\(HTMLText.attribute(s.colour))>"
                    out += "<title>\(HTMLText.escape(s.title))</title></rect>"
                    x += w
                }
            }
            out += "<text x=\"\(n(x + pad))\" y=\"\(n(middle))\" font-size=\"\(n(fontSize))\""
            out += " fill=\"\(bar.warn ? Self.warningColour : Self.textColour)\" dominant-baseline=\"central\">\(HTMLText.escape(bar.note))</text>"
        }
        return out + "</svg>"
    }

    /// Coordinates with at most one decimal: short, and the same bytes on every machine.
    private func n(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }
}
