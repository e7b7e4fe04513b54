import Foundation

/// Horizontal bars, one per category, with interval whiskers and vertical
/// reference lines.
public struct BarChart {
    public struct Bar {
        public var label: String
        public var value: Double
        public var interval: (lower: Double, upper: Double)?
        public var color: String

        public init(label: String, value: Double, interval: (lower: Double, upper: Double)?, color: String) {
            self.label = label
            self.value = value
            self.interval = interval
            self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var bars: [Bar] = []
    public var vertical: [LineChart.Reference] = []
    public var xDomain: ClosedRange<Double> = 0 ... 1
    public var width = 780.0
    public var rowHeight = 28.0

    public init(title: String, xLabel: String) {
        self.title = title
        self.xLabel = xLabel
    }

    public var height: Double { 36 + 18 * Double(vertical.filter { $0.label != nil }.count) + rowHeight * Double(max(bars.count, 1)) + 56 }

    public func svg() -> String {
        var canvas = SVGCanvas(width: width, height: height)
        let labelWidth = (bars.map { SVGCanvas.textWidth($0.label, size: 12) }.max() ?? 0) + 20
        let legendLines = Double(vertical.filter { $0.label != nil }.count)
        let plot = (x0: max(labelWidth, 60), x1: width - 70, y0: height - 52, y1: 36 + 18 * legendLines)
        let axis = Ticks.linear(xDomain.lowerBound, xDomain.upperBound)
        let scale = Scale(lower: axis.lower, upper: axis.upper, from: plot.x0, to: plot.x1)

        for tick in axis.ticks {
            let x = scale(tick.value)
            canvas.line(x, plot.y0, x, plot.y1, stroke: "#E4E4E4")
            canvas.line(x, plot.y0, x, plot.y0 + 6, stroke: Palette.black)
            canvas.text(tick.label, x: x, y: plot.y0 + 19, size: 11, anchor: .middle)
        }
        canvas.line(plot.x0, plot.y0, plot.x1, plot.y0, stroke: Palette.black)
        canvas.line(plot.x0, plot.y0, plot.x0, plot.y1, stroke: Palette.black)
        canvas.text(title, x: 12, y: 22, size: 14, bold: true)
        canvas.text(xLabel, x: (plot.x0 + plot.x1) / 2, y: height - 12, size: 12, anchor: .middle)

        for (index, bar) in bars.enumerated() {
            let center = plot.y1 + rowHeight * (Double(index) + 0.5)
            let thickness = rowHeight * 0.6
            let end = scale(min(max(bar.value, axis.lower), axis.upper))
            canvas.rect(x: plot.x0, y: center - thickness / 2, width: end - plot.x0, height: thickness,
                        fill: bar.color, opacity: 0.85, data: bar.label)
            canvas.text(bar.label, x: plot.x0 - 8, y: center + 4, size: 12, anchor: .end)
            var textX = end
            if let interval = bar.interval {
                let lo = scale(max(interval.lower, axis.lower)), hi = scale(min(interval.upper, axis.upper))
                canvas.line(lo, center, hi, center, stroke: Palette.black, width: 1.5)
                canvas.line(lo, center - 6, lo, center + 6, stroke: Palette.black, width: 1.5)
                canvas.line(hi, center - 6, hi, center + 6, stroke: Palette.black, width: 1.5)
                textX = max(textX, hi)
            }
            canvas.text(String(format: "%.3f", bar.value), x: textX + 6, y: center + 4, size: 11)
        }

        var legendY = 40.0
        for reference in vertical where scale.contains(reference.value) {
            let x = scale(reference.value)
            canvas.line(x, plot.y0, x, plot.y1, stroke: reference.color, width: 2, dash: "6 4")
            if let label = reference.label {
                canvas.line(plot.x0, legendY - 4, plot.x0 + 24, legendY - 4, stroke: reference.color, width: 2, dash: "6 4")
                canvas.text(label, x: plot.x0 + 32, y: legendY, size: 11)
                legendY += 18
            }
        }
        return canvas.render(title: title)
    }
}
