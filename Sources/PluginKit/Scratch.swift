import Foundation

/// Working memory for one call into a plugin, from the calling thread's
/// arena: every buffer it hands out stays valid until the call returns and
/// is then reused by the thread's next call.
///
/// Why not a fresh allocation per call: a chunk's 64 KiB of margins, freed
/// onto the top of the heap, is trimmed by glibc and page-faulted back in by
/// the next call, which cost more than the margins themselves (about 2 µs of
/// an 8192-row call). Why per thread: verify calls may run concurrently (see
/// the ABI header's thread rules), and a thread's arena needs no lock.
///
/// Buffers are uninitialised, 64-byte aligned and never overlap within a
/// call. A call that re-enters PluginKit on the same thread (a verify whose
/// host service calls a generator of the same library) gets a frame of its
/// own, so the outer call's buffers are untouched. Do not keep a buffer, or
/// the `Scratch`, past the call.
public struct Scratch {
    let arena: ScratchArena
    let frame: Int

    /// `count` uninitialised doubles for the rest of the call.
    public func doubles(_ count: Int) -> UnsafeMutableBufferPointer<Double> {
        buffer(of: Double.self, count: count)
    }

    /// `count` uninitialised values of a trivial type for the rest of the call.
    public func buffer<T: BitwiseCopyable>(of _: T.Type, count: Int) -> UnsafeMutableBufferPointer<T> {
        precondition(count >= 0, "Scratch: negative count \(count)")
        let raw = arena.allocate(bytes: count * MemoryLayout<T>.stride, frame: frame)
        return UnsafeMutableBufferPointer(start: raw.bindMemory(to: T.self, capacity: count), count: count)
    }

    /// Runs `body` with a frame of the calling thread's arena, released when
    /// it returns. The wrappers call every plugin method in one; direct
    /// callers (tests, benchmarks) use this.
    public static func withFrame<Result>(_ body: (Scratch) throws -> Result) throws -> Result {
        let arena = try ScratchArena.current()
        let frame = arena.open()
        defer { arena.close(frame) }
        return try body(Scratch(arena: arena, frame: frame))
    }
}

/// One thread's scratch memory: per nesting depth a block, bump-allocated
/// within a call. A call that outgrows its block gets overflow blocks; when
/// it returns they are merged into one block of the size it used, so that
/// the thread's next such call fits in one.
final class ScratchArena {
    private static let alignment = 64

    private final class Region {
        var block: UnsafeMutableRawPointer?
        var capacity = 0
        var used = 0
        var overflow: [UnsafeMutableRawPointer] = []
        var overflowBytes = 0
    }

    private var regions: [Region] = []
    private var depth = 0

    deinit {
        for region in regions {
            region.block.map { $0.deallocate() }
            region.overflow.forEach { $0.deallocate() }
        }
    }

    func open() -> Int {
        if depth == regions.count { regions.append(Region()) }
        depth += 1
        return depth - 1
    }

    func close(_ frame: Int) {
        precondition(frame == depth - 1, "Scratch: frames closed out of order")
        let region = regions[frame]
        if !region.overflow.isEmpty {
            let needed = region.used + region.overflowBytes
            region.overflow.forEach { $0.deallocate() }
            region.overflow = []
            region.overflowBytes = 0
            region.block.map { $0.deallocate() }
            region.block = .allocate(byteCount: needed, alignment: Self.alignment)
            region.capacity = needed
        }
        region.used = 0
        depth -= 1
    }

    func allocate(bytes: Int, frame: Int) -> UnsafeMutableRawPointer {
        let region = regions[frame]
        let size = max(Self.alignment, (bytes + Self.alignment - 1) / Self.alignment * Self.alignment)
        if let block = region.block, region.used + size <= region.capacity {
            defer { region.used += size }
            return block + region.used
        }
        let extra = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: Self.alignment)
        region.overflow.append(extra)
        region.overflowBytes += size
        return extra
    }

    /// The calling thread's arena, made on its first call and freed when the
    /// thread exits.
    static func current() throws -> ScratchArena {
        guard let key = threadKey else {
            throw PluginError.failed("scratch: no thread-local key for the scratch arena (pthread_key_create failed)")
        }
        if let raw = pthread_getspecific(key) {
            return Unmanaged<ScratchArena>.fromOpaque(raw).takeUnretainedValue()
        }
        let arena = ScratchArena()
        // The thread's reference, released by the key's destructor at exit.
        let owned = Unmanaged.passRetained(arena)
        guard pthread_setspecific(key, owned.toOpaque()) == 0 else {
            owned.release()
            throw PluginError.failed("scratch: pthread_setspecific failed for the scratch arena")
        }
        return arena
    }

    private static let threadKey: pthread_key_t? = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { raw in
            guard let raw else { return }
            Unmanaged<ScratchArena>.fromOpaque(raw).release()
        }
        return status == 0 ? key : nil
    }()
}
