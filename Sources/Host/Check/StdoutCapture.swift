import Foundation

/// Runs plugin calls with file descriptor 1 redirected into a pipe, and
/// says what they wrote: standard output is the host's (`assay run --json`
/// writes its document there), so a plugin must not write to it.
///
/// A thread of its own drains the pipe while the calls run, so that a
/// plugin writing more than the pipe holds neither stalls nor loses its
/// output to a later flush; the first 64 KiB are kept for the report. C
/// stdio is flushed before and after, so that a printf buffered by the
/// plugin lands in the pipe and nothing of the checker's does. Not
/// reentrant: one capture at a time, and the checker prints nothing while
/// one is open.
enum StdoutCapture {
    static let kept = 1 << 16

    /// The result, the first `kept` bytes written and how many were.
    static func during<Result>(_ body: () throws -> Result) rethrows -> (result: Result, written: [UInt8], total: Int) {
        fflush(stdout)
        var ends: [Int32] = [0, 0]
        let saved = dup(1)
        guard saved >= 0, pipe(&ends) == 0 else {
            // No pipe, no redirection: the calls still run, unwatched.
            if saved >= 0 { close(saved) }
            return (try body(), [], 0)
        }
        dup2(ends[1], 1)
        close(ends[1])
        let reader = PipeReader(descriptor: ends[0])
        func restore() {
            // fd 1 was the pipe's last write end: the reader sees its end.
            fflush(stdout)
            dup2(saved, 1)
            close(saved)
            reader.finish()
            close(ends[0])
        }
        let result: Result
        do {
            result = try body()
        } catch {
            restore()
            throw error
        }
        restore()
        return (result, reader.written, reader.total)
    }
}

extension RuleBook {
    /// Runs plugin calls with standard output watched (StdoutCapture) and
    /// records whether `what` wrote anything there.
    func watchingStdout<Result>(_ what: String, _ body: () throws -> Result) rethrows -> Result {
        let (result, written, total) = try StdoutCapture.during(body)
        if !written.isEmpty {
            var preview = String(decoding: written.prefix(60), as: UTF8.self)
            preview = preview.replacingOccurrences(of: "\n", with: "\\n")
            fail(.noStdout, "\(what) wrote \(total) bytes to standard output, starting \"\(preview)\" (expected nothing there; log through host->log)")
        } else {
            check(.noStdout, true, "")
        }
        return result
    }
}

/// Reads a pipe on a thread of its own until the pipe's end.
private final class PipeReader: @unchecked Sendable {  // `bytes`, `count` are written by the thread, read after `done`
    private var bytes: [UInt8] = []
    private var count = 0
    private let done = DispatchSemaphore(value: 0)

    init(descriptor: Int32) {
        Thread { [self] in
            var chunk = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                self.count += count
                if bytes.count < StdoutCapture.kept { bytes.append(contentsOf: chunk[0..<min(count, StdoutCapture.kept - bytes.count)]) }
            }
            done.signal()
        }.start()
    }

    func finish() {
        done.wait()
    }

    /// What was read; only after `finish`.
    var written: [UInt8] { bytes }
    var total: Int { count }
}
