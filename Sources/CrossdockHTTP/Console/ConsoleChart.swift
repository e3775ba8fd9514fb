import CrossdockDomain
import Foundation

/// A bar chart drawn by the hub as inline SVG: one bar per bucket, each with a tooltip (`<title>`), and the largest
/// value on the axis. No script, no fonts, nothing fetched.
struct ConsoleChart {
    /// One bar: its label (the bucket's start) and value.
    var bars: [(label: String, value: Double)]
    var title: String
    var width = 720
    var height = 160

    /// The chart as an `<svg>` element (every text escaped).
    var svg: String {
        let top = 18.0
        let bottom = 18.0
        let left = 36.0
        let plotHeight = Double(height) - top - bottom
        let maximum = max(bars.map(\.value).max() ?? 0, 1)
        let step = (Double(width) - left - 4) / Double(max(bars.count, 1))
        var out =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"\(ConsoleHTML.escape(title))\">"
        out += "<text x=\"4\" y=\"12\">\(ConsoleHTML.escape(title))</text>"
        out += "<text x=\"4\" y=\"\(Int(top) + 10)\">\(Self.number(maximum))</text>"
        out += "<text x=\"4\" y=\"\(Int(top + plotHeight))\">0</text>"
        for (index, bar) in bars.enumerated() {
            let barHeight = plotHeight * bar.value / maximum
            let x = left + Double(index) * step
            out +=
                "<rect class=\"bar\" x=\"\(Self.number(x))\" y=\"\(Self.number(top + plotHeight - barHeight))\" width=\"\(Self.number(max(step - 1, 1)))\""
            out += " height=\"\(Self.number(barHeight))\"><title>\(ConsoleHTML.escape("\(bar.label): \(Self.number(bar.value))"))</title></rect>"
        }
        if let first = bars.first { out += "<text x=\"\(Int(left))\" y=\"\(height - 4)\">\(ConsoleHTML.escape(first.label))</text>" }
        if bars.count > 1, let last = bars.last {
            out += "<text x=\"\(width - 4)\" y=\"\(height - 4)\" text-anchor=\"end\">\(ConsoleHTML.escape(last.label))</text>"
        }
        return out + "</svg>"
    }

    /// A number with at most one decimal.
    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
