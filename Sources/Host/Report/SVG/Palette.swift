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
