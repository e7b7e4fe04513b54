import Foundation

/// An SVG document built element by element; every text and attribute value
/// is escaped on the way in.
public struct SVGCanvas {
    public let width: Double
    public let height: Double
    private var elements: [String] = []

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
        // A white background, so a rendering is never transparent.
        rect(x: 0, y: 0, width: width, height: height, fill: "#FFFFFF")
    }

    private static func attributes(_ pairs: [(String, String?)]) -> String {
        pairs.compactMap { name, value in value.map { " \(name)=\"\(Markup.escape($0))\"" } }.joined()
    }

    private static let c = Markup.coordinate

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                              width: Double = 1, dash: String? = nil, data: String? = nil) {
        elements.append("<line" + Self.attributes([
            ("x1", Self.c(x1)), ("y1", Self.c(y1)), ("x2", Self.c(x2)), ("y2", Self.c(y2)),
            ("stroke", stroke), ("stroke-width", Self.c(width)), ("stroke-dasharray", dash), ("data-series", data),
        ]) + "/>")
    }

    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double = 2,
                                  dash: String? = nil, data: String? = nil) {
        let list = points.map { "\(Self.c($0.0)),\(Self.c($0.1))" }.joined(separator: " ")
        elements.append("<polyline" + Self.attributes([
            ("points", list), ("fill", "none"), ("stroke", stroke), ("stroke-width", Self.c(width)),
            ("stroke-linejoin", "round"), ("stroke-dasharray", dash), ("data-series", data),
        ]) + "/>")
    }

    /// A marker: a circle, or a square when `square`.
    public mutating func marker(_ x: Double, _ y: Double, color: String, size: Double = 3.5, square: Bool = false,
                                data: String? = nil) {
        if square {
            elements.append("<rect" + Self.attributes([
                ("x", Self.c(x - size)), ("y", Self.c(y - size)), ("width", Self.c(2 * size)), ("height", Self.c(2 * size)),
                ("fill", color), ("stroke", "#FFFFFF"), ("stroke-width", "0.8"), ("data-series", data),
            ]) + "/>")
        } else {
            elements.append("<circle" + Self.attributes([
                ("cx", Self.c(x)), ("cy", Self.c(y)), ("r", Self.c(size)),
                ("fill", color), ("stroke", "#FFFFFF"), ("stroke-width", "0.8"), ("data-series", data),
            ]) + "/>")
        }
    }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              stroke: String? = nil, opacity: Double? = nil, data: String? = nil) {
        elements.append("<rect" + Self.attributes([
            ("x", Self.c(x)), ("y", Self.c(y)), ("width", Self.c(max(width, 0))), ("height", Self.c(max(height, 0))),
            ("fill", fill), ("stroke", stroke), ("fill-opacity", opacity.map(Self.c)), ("data-series", data),
        ]) + "/>")
    }

    public enum Anchor: String { case start, middle, end }

    public mutating func text(_ text: String, x: Double, y: Double, size: Double = 12, anchor: Anchor = .start,
                              color: String = Palette.black, bold: Bool = false, rotate: Double? = nil) {
        elements.append("<text" + Self.attributes([
            ("x", Self.c(x)), ("y", Self.c(y)), ("font-size", Self.c(size)), ("text-anchor", anchor.rawValue),
            ("fill", color), ("font-weight", bold ? "bold" : nil),
            ("transform", rotate.map { "rotate(\(Self.c($0)) \(Self.c(x)) \(Self.c(y)))" }),
        ]) + ">" + Markup.escape(text) + "</text>")
    }

    /// The document, with `title` as its accessible name.
    public func render(title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Self.c(width))\" height=\"\(Self.c(height))\" "
            + "viewBox=\"0 0 \(Self.c(width)) \(Self.c(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" "
            + "role=\"img\">\n<title>\(Markup.escape(title))</title>\n"
            + elements.joined(separator: "\n") + "\n</svg>"
    }

    /// Roughly how wide `text` is at `size` (DejaVu Sans averages ≈ 0.6 em).
    public static func textWidth(_ text: String, size: Double = 12) -> Double {
        Double(text.count) * size * 0.6
    }
}
