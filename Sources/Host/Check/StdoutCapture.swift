import Foundation

/// Runs plugin calls with file descriptor 1 redirected into a pipe, and
/// says what they wrote: standard output is the host's (`assay run --json`
/// writes its document there), so a plugin must not write to it.
///
/// The pipe's write end is non-blocking: a plugin that writes more than the
/// pipe holds (64 KiB on Linux) loses the rest instead of stalling the
/// check; what was kept is enough to report. C stdio is flushed before and
/// after, so that a printf buffered by the plugin lands in the pipe, and
/// nothing of the checker's lands there. Not reentrant: one capture at a
/// time, and the checker prints nothing while one is open.
enum StdoutCapture {
    static func during<Result>(_ body: () throws -> Result) rethrows -> (result: Result, written: [UInt8]) {
        fflush(stdout)
        var ends: [Int32] = [0, 0]
        let saved = dup(1)
        guard saved >= 0, pipe(&ends) == 0 else {
            // No pipe, no redirection: the calls still run, unwatched.
            if saved >= 0 { close(saved) }
            return (try body(), [])
        }
        _ = fcntl(ends[1], F_SETFL, fcntl(ends[1], F_GETFL) | O_NONBLOCK)
        _ = fcntl(ends[0], F_SETFL, fcntl(ends[0], F_GETFL) | O_NONBLOCK)
        dup2(ends[1], 1)
        close(ends[1])
        defer {
            close(ends[0])
        }
        let result: Result
        do {
            result = try body()
        } catch {
            restore(saved)
            throw error
        }
        restore(saved)
        return (result, drain(ends[0]))
    }

    private static func restore(_ saved: Int32) {
        fflush(stdout)
        // A write that found the pipe full set the stream's error flag.
        clearerr(stdout)
        dup2(saved, 1)
        close(saved)
    }

    private static func drain(_ descriptor: Int32) -> [UInt8] {
        var written: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            guard count > 0 else { return written }
            written.append(contentsOf: chunk[0..<count])
        }
    }
}
