import COpenBLAS

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LinearAlgebra {
    /// Makes OpenBLAS run every call on its caller's thread, and stops the
    /// worker threads it started when it was loaded.
    ///
    /// Assay's parallelism is its own (chunks, fits): threads inside BLAS
    /// would oversubscribe the cores, and could split sums, and so their
    /// last bits, by the thread count. OpenBLAS starts its workers when the
    /// library loads, before `main`, and an idle worker spins on
    /// `sched_yield` for about 0.1 s before it sleeps, right when the pool
    /// pass starts on every core: 3 % of a 10⁷ `score`'s CPU. Its
    /// `blas_thread_shutdown_` (what OpenBLAS itself calls around `fork`)
    /// ends them; it is looked up at run time, as other BLAS builds may not
    /// have it. Calls with one thread never start them again, but
    /// `openblas_set_num_threads` would (it re-creates a shut-down pool), so
    /// all of this happens once per process.
    public static func useCallingThreadOnly() {
        _ = callingThreadOnly
    }

    private static let callingThreadOnly: Void = {
        openblas_set_num_threads(1)
        typealias Shutdown = @convention(c) () -> Int32
        if let symbol = dlsym(nil, "blas_thread_shutdown_") {  // nil: RTLD_DEFAULT, every loaded library
            _ = unsafeBitCast(symbol, to: Shutdown.self)()
        }
    }()
}
