import Foundation

/// Lines with markers over a linear or log x axis, reference lines, and a
/// legend to the right of the plot.
public struct LineChart {
    public struct Series {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var color: String
        public var dashed: Bool
        public var squareMarkers: Bool
        /// Half-width of an error bar at each point (e.g. one standard
        /// error), parallel to `points`; nil or 0 for none.
        public var errors: [Double]?

        public init(name: String, points: [(x: Double, y: Double)], color: String, dashed: Bool = false,
                    squareMarkers: Bool = false, errors: [Double]? = nil) {
            precondition(errors == nil || errors!.count == points.count, "one error per point")
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
            self.squareMarkers = squareMarkers
            self.errors = errors
        }

        /// Each point with its error bar's half-width (0 without one).
        var withErrors: [(x: Double, y: Double, error: Double)] {
            points.enumerated().map { index, point in (point.x, point.y, errors?[index] ?? 0) }
        }
    }

    /// A horizontal (value on y) or vertical (value on x) dashed line; with a
    /// label it gets a legend entry.
    public struct Reference {
        public var value: Double
        public var label: String?
        public var color: String

        public init(value: Double, label: String?, color: String = Palette.gray) {
            self.value = value
            self.label = label
            self.color = color
        }
    }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public var xLog = false
    public var series: [Series] = []
    public var horizontal: [Reference] = []
    public var vertical: [Reference] = []
    /// Fixed axis ranges; by default the data's, widened to round ticks.
    public var xDomain: ClosedRange<Double>?
    public var yDomain: ClosedRange<Double>?
    public var width = 780.0
    public var height = 440.0

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    public func svg() -> String {
        var canvas = SVGCanvas(width: width, height: height)
        let legendEntries = series.count + (horizontal + vertical).filter { $0.label != nil }.count
        let legendWidth = legendEntries == 0 ? 0.0 : min(260, 40 + ((series.map(\.name) + (horizontal + vertical).compactMap(\.label))
            .map { SVGCanvas.textWidth($0, size: 11) }.max() ?? 0))
        let left = 64.0, top = 36.0, bottom = 52.0, right = 16.0 + legendWidth
        let plot = (x0: left, x1: width - right, y0: height - bottom, y1: top)

        // Domains and ticks.
        let xs = series.flatMap { $0.points.map(\.x) }.filter { $0.isFinite && (!xLog || $0 > 0) } + vertical.map(\.value)
        let ys = series.flatMap { $0.withErrors.flatMap { [$0.y - $0.error, $0.y + $0.error] } }.filter(\.isFinite)
            + horizontal.map(\.value)
        var xScale: Scale, yScale: Scale
        var xMajor: [(value: Double, label: String)], xMinor: [Double] = []
        if xLog {
            let axis = Ticks.log(xDomain?.lowerBound ?? xs.min() ?? 1, xDomain?.upperBound ?? xs.max() ?? 10)
            xScale = Scale(lower: axis.lower, upper: axis.upper, log: true, from: plot.x0, to: plot.x1)
            xMajor = axis.major
            xMinor = axis.minor
        } else {
            let axis = Ticks.linear(xDomain?.lowerBound ?? xs.min() ?? 0, xDomain?.upperBound ?? xs.max() ?? 1)
            xScale = Scale(lower: axis.lower, upper: axis.upper, from: plot.x0, to: plot.x1)
            xMajor = axis.ticks
        }
        let yAxis = Ticks.linear(yDomain?.lowerBound ?? ys.min() ?? 0, yDomain?.upperBound ?? ys.max() ?? 1)
        yScale = Scale(lower: yAxis.lower, upper: yAxis.upper, from: plot.y0, to: plot.y1)

        // Grid, axes, ticks.
        for tick in yAxis.ticks {
            let y = yScale(tick.value)
            canvas.line(plot.x0, y, plot.x1, y, stroke: "#E4E4E4")
            canvas.line(plot.x0 - 5, y, plot.x0, y, stroke: Palette.black)
            canvas.text(tick.label, x: plot.x0 - 8, y: y + 4, size: 11, anchor: .end)
        }
        for value in xMinor where xScale.contains(value) {
            let x = xScale(value)
            canvas.line(x, plot.y0, x, plot.y0 + 3, stroke: Palette.black)
        }
        for tick in xMajor where xScale.contains(tick.value) {
            let x = xScale(tick.value)
            canvas.line(x, plot.y0, x, plot.y1, stroke: "#E4E4E4")
            canvas.line(x, plot.y0, x, plot.y0 + 6, stroke: Palette.black)
            canvas.text(tick.label, x: x, y: plot.y0 + 19, size: 11, anchor: .middle)
        }
        canvas.line(plot.x0, plot.y0, plot.x1, plot.y0, stroke: Palette.black)
        canvas.line(plot.x0, plot.y0, plot.x0, plot.y1, stroke: Palette.black)
        canvas.text(title, x: plot.x0, y: 22, size: 14, bold: true)
        canvas.text(xLabel, x: (plot.x0 + plot.x1) / 2, y: height - 12, size: 12, anchor: .middle)
        canvas.text(yLabel, x: 16, y: (plot.y0 + plot.y1) / 2, size: 12, anchor: .middle, rotate: -90)

        // Reference lines, then the series over them.
        for reference in horizontal where yScale.contains(reference.value) {
            let y = yScale(reference.value)
            canvas.line(plot.x0, y, plot.x1, y, stroke: reference.color, width: 1.5, dash: "6 4")
        }
        for reference in vertical where xScale.contains(reference.value) {
            let x = xScale(reference.value)
            canvas.line(x, plot.y0, x, plot.y1, stroke: reference.color, width: 1.5, dash: "6 4")
        }
        for entry in series {
            let visible = entry.withErrors.filter { xScale.contains($0.x) && $0.y.isFinite }
            let points = visible.map { (xScale($0.x), yScale($0.y)) }
            canvas.polyline(points, stroke: entry.color, width: 2, dash: entry.dashed ? "3 3" : nil, data: entry.name)
            for point in visible where point.error > 0 {
                let x = xScale(point.x), low = yScale(point.y - point.error), high = yScale(point.y + point.error)
                canvas.line(x, low, x, high, stroke: entry.color, width: 1.2)
                canvas.line(x - 4, low, x + 4, low, stroke: entry.color, width: 1.2)
                canvas.line(x - 4, high, x + 4, high, stroke: entry.color, width: 1.2)
            }
            for point in points {
                canvas.marker(point.0, point.1, color: entry.color, square: entry.squareMarkers, data: entry.name)
            }
        }

        // Legend.
        var y = top + 6
        let x = width - legendWidth + 4
        for entry in series {
            canvas.line(x, y, x + 24, y, stroke: entry.color, width: 2, dash: entry.dashed ? "3 3" : nil)
            canvas.marker(x + 12, y, color: entry.color, square: entry.squareMarkers)
            canvas.text(entry.name, x: x + 32, y: y + 4, size: 11)
            y += 18
        }
        for reference in horizontal + vertical {
            guard let label = reference.label else { continue }
            canvas.line(x, y, x + 24, y, stroke: reference.color, width: 1.5, dash: "6 4")
            canvas.text(label, x: x + 32, y: y + 4, size: 11)
            y += 18
        }
        return canvas.render(title: title)
    }
}
