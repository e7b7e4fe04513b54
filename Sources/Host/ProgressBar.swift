import Foundation

/// A one-line progress display on standard error, drawn only when standard
/// error is a terminal: logs and CI output stay clean.
public final class ProgressBar {
    private let label: String
    private let total: Int
    private var done = 0
    private var lastDrawn = Date.distantPast
    private let enabled: Bool

    public init(_ label: String, total: Int, enabled: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
    }

    public func advance(by steps: Int = 1) {
        done += steps
        guard enabled else { return }
        let now = Date()
        if done >= total || now.timeIntervalSince(lastDrawn) > 0.1 {
            lastDrawn = now
            let fraction = Double(done) / Double(total)
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) \(bar) \(done)/\(total)".utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        }
    }
}
