import COpenBLAS
import Foundation
@testable import Numerics
import XCTest

final class BLASThreadsTests: XCTestCase {
    /// Threads of this process, from /proc (Linux).
    private func threadCount() throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count
    }

    func testOneThreadAndNoWorkerComesBack() throws {
        // The mechanism this relies on is in this BLAS: if a BLAS update
        // drops it, this says so (the idle workers would spin again).
        XCTAssertNotNil(dlsym(nil, "blas_thread_shutdown_"))
        LinearAlgebra.useCallingThreadOnly()
        LinearAlgebra.useCallingThreadOnly()   // a second call changes nothing
        XCTAssertEqual(openblas_get_num_threads(), 1)
        let before = try threadCount()
        // A product large enough that a threaded OpenBLAS would split it.
        let n = 400
        let a = (0..<(n * n)).map { Double($0 % 17) - 8 }
        var c = [Double](repeating: 0, count: n * n)
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(n), Int32(n), Int32(n), 1, a, Int32(n), a, Int32(n),
                    0, &c, Int32(n))
        XCTAssertEqual(try threadCount(), before, "OpenBLAS started threads again")
        // c[0][0] = Σ_k a[0][k]·a[k][0], by hand from the pattern.
        let expected = (0..<n).reduce(0.0) { $0 + a[$1] * a[$1 * n] }
        XCTAssertEqual(c[0], expected)
    }
}
