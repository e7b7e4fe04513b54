import Foundation

/// Text and numbers as they go into SVG and HTML.
public enum Markup {
    /// Escapes the five XML special characters, for text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// A coordinate with two decimals, no trailing zeros ("12.5", "3").
    static func coordinate(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        var text = String(format: "%.2f", value)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}

/// The fixed colours of every figure (Okabe–Ito, then a few darker tones),
/// so a selection keeps its colour from one figure to the next.
public enum Palette {
    public static let colors = [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9",
        "#8C6D31", "#7B4173", "#393B79", "#637939",
    ]
    public static let gray = "#6B6B6B"
    public static let black = "#222222"

    public static func color(_ index: Int) -> String { colors[index % colors.count] }
}
