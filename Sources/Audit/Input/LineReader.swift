#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a file line by line in fixed-size chunks, so that memory is one
/// chunk (1 MiB, more only for a longer line) however many lines there are.
///
/// Each line is handed over as bytes without its "\n" (or "\r\n"), with its
/// 1-based number; the buffer is reused, so a line must not outlive the call.
public struct LineReader {
    public let path: String
    public var chunkSize: Int

    public init(path: String, chunkSize: Int = 1 << 20) {
        self.path = path
        self.chunkSize = chunkSize
    }

    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw AuditError("\(path): cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var capacity = max(chunkSize, 16)
        var base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { base.deallocate() }
        var start = 0, end = 0, lineNumber = 0
        var atEnd = false
        while true {
            while start < end, let found = memchr(base + start, 0x0A, end - start) {
                let newline = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                lineNumber += 1
                try body(Self.line(base, from: start, to: newline), lineNumber)
                start = newline + 1
            }
            if atEnd {
                if start < end {
                    lineNumber += 1
                    try body(Self.line(base, from: start, to: end), lineNumber)
                }
                return
            }
            if start > 0 {
                memmove(base, base + start, end - start)
                end -= start
                start = 0
            }
            if end == capacity {
                // One line longer than the chunk: grow for it (the only way
                // memory exceeds a chunk is a single line that needs it).
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                grown.update(from: base, count: end)
                base.deallocate()
                base = grown
                capacity *= 2
            }
            let count = read(descriptor, base + end, capacity - end)
            if count < 0 {
                throw AuditError("\(path): read failed: \(String(cString: strerror(errno)))")
            }
            if count == 0 { atEnd = true } else { end += count }
        }
    }

    private static func line(_ base: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int) -> UnsafeBufferPointer<UInt8> {
        var last = end
        if last > start, base[last - 1] == 0x0D { last -= 1 }
        return UnsafeBufferPointer(start: base + start, count: last - start)
    }
}
