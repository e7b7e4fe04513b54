import Foundation

/// A one-line progress display on standard error, drawn only when standard
/// error is a terminal: logs and CI output stay clean.
public final class ProgressBar {
    private let label: String
    private let total: Int
    private var done = 0
    private var lastDrawn = Date.distantPast
    private let enabled: Bool
    /// Told of every step, for embedders that show progress their own way.
    private let report: ((_ label: String, _ done: Int, _ total: Int) -> Void)?

    public init(_ label: String, total: Int, enabled: Bool = isatty(STDERR_FILENO) == 1,
                report: ((_ label: String, _ done: Int, _ total: Int) -> Void)? = nil) {
        self.label = label
        self.total = max(total, 1)
        self.enabled = enabled
        self.report = report
    }

    public func advance(by steps: Int = 1) {
        done += steps
        report?(label, done, total)
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

extension ProgressBar {
    /// Makes the bar of one stage of a run (nil: no bar is shown or told).
    typealias Factory = (_ stage: String, _ total: Int) -> ProgressBar?
}
