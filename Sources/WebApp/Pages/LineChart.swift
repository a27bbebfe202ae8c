import DigiTagBase
import Foundation

/// A small line chart as inline SVG (no script, nothing loaded): one point per run along x, one line per
/// series, a `<title>` on every point so a pointer shows the value. The profile's class history and the
/// dashboard's trend of class shares use it.
enum LineChart {
    struct Series {
        var label: String
        var colour: String
        /// Per x position: the value and its title, or nil where the series has no value (a line breaks there).
        var points: [(value: Double, title: String)?]
    }

    /// Colours of the risk classes, lowest risk first (others grey).
    static func colour(classIndex k: Int) -> String { classColours.indices.contains(k) ? classColours[k] : "#777777" }
    static let classColours = ["#2e7d32", "#1565c0", "#ef6c00", "#c62828"]

    /// - Parameters:
    ///   - x: the label under each position (the runs' as-of dates).
    ///   - yTicks: values and their labels on the left axis.
    ///   - top: the value at the top of the plot; `bottom` the one at the bottom (either may be the larger).
    static func svg(caption: String, x: [String], yTicks: [(Double, String)], top: Double, bottom: Double, series: [Series]) -> String {
        let left = 70.0
        let step = 90.0
        let plotTop = 14.0
        let plotHeight = Double(max(60, 22 * max(yTicks.count - 1, 3)))
        let width = left + step * Double(max(x.count - 1, 1)) + 50
        let height = plotTop + plotHeight + 44 + (series.count > 1 ? 20 : 0)
        func px(_ i: Int) -> Double { x.count == 1 ? left + step / 2 : left + step * Double(i) }
        func py(_ v: Double) -> Double { top == bottom ? plotTop + plotHeight / 2 : plotTop + (v - top) / (bottom - top) * plotHeight }
        func n(_ v: Double) -> String { String(format: "%.1f", v) }
        // Inline in HTML an <svg> needs no namespace attribute (and the pages name no outside address at all).
        var out = "<svg width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\""
        out += " role=\"img\" aria-label=\(HTMLText.attribute(caption)) font-size=\"11\" font-family=\"sans-serif\"><title>\(HTMLText.escape(caption))</title>"
        for (v, label) in yTicks {
            out += "<line x1=\"\(n(left - 6))\" x2=\"\(n(width - 30))\" y1=\"\(n(py(v)))\" y2=\"\(n(py(v)))\" stroke=\"#dddddd\"/>"
            out += "<text x=\"\(n(left - 10))\" y=\"\(n(py(v)))\" text-anchor=\"end\" dominant-baseline=\"central\">\(HTMLText.escape(label))</text>"
        }
        for (i, label) in x.enumerated() {
            out += "<text x=\"\(n(px(i)))\" y=\"\(n(plotTop + plotHeight + 18))\" text-anchor=\"middle\">\(HTMLText.escape(label))</text>"
        }
        for s in series {
            // Consecutive points joined; a run without a value breaks the line.
            var run: [String] = []
            func flush() {
                if run.count > 1 { out += "<polyline fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"2\" points=\"\(run.joined(separator: " "))\"/>" }
                run = []
            }
            for (i, p) in s.points.enumerated() {
                guard let p else {
                    flush()
                    continue
                }
                run.append("\(n(px(i))),\(n(py(p.value)))")
            }
            flush()
            for (i, p) in s.points.enumerated() {
                guard let p else { continue }
                out += "<circle cx=\"\(n(px(i)))\" cy=\"\(n(py(p.value)))\" r=\"4\" fill=\"\(s.colour)\"><title>\(HTMLText.escape(p.title))</title></circle>"
            }
        }
        if series.count > 1 {
            var lx = left
            for s in series {
                out += "<rect x=\"\(n(lx))\" y=\"\(n(height - 14))\" width=\"10\" height=\"10\" fill=\"\(s.colour)\"/>"
                out += "<text x=\"\(n(lx + 14))\" y=\"\(n(height - 5))\">\(HTMLText.escape(s.label))</text>"
                lx += 24 + Double(s.label.count) * 7
            }
        }
        return out + "</svg>"
    }
}
