import AssayTestSupport
import Foundation
import FunctionVerifier
import XCTest

/// What a batch costs through the python verifier against the same rule in
/// C through the built-in "function" verifier (batches of 8192 rows,
/// d = 100, as the host's default chunk): the figures of
/// docs/PYTHON_VERIFIERS.md. The test checks that all three give the bits
/// they must; the timings are printed, not asserted (they depend on the
/// machine and its load).
final class PythonOverheadTests: XCTestCase {
    func testPerBatchCostAgainstTheFunctionVerifier() throws {
        let python = try requirePython()
        let scratch = try TemporaryFolder("assay-python-overhead")
        defer { scratch.remove() }
        let checker = scratch.file("libkeep_sign.so")
        let cc = try runProcess("/usr/bin/env", ["cc", "-std=c99", "-O2", "-shared", "-fPIC",
                                                 Paths.root + "/Tests/Fixtures/function-verifiers/keep_sign.c", "-o", checker])
        XCTAssertEqual(cc.status, 0, cc.stderr)

        let rows = 8192, cols = 100
        let batch = testBatch(rows: rows, cols: cols, seed: 99)
        let expected = batch.y.indices.map { batch.y[$0] * batch.x[$0 * cols] > 0 ? UInt8(1) : 0 }
        let c = try VerifierDriver(
            "{\"function_library\": \"\(checker)\", \"signature\": \"void keep_sign_batch(const double *x, const double *y, size_t n, size_t d, uint8_t *keep)\"}",
            xCols: cols, table: FunctionVerifierLibrary.table)
        let sign = try VerifierDriver(
            "{\"module\": \"\(Paths.root)/examples/python-verifier/sign.py\", \"function\": \"keep\", \"python\": \"\(python)\"}", xCols: cols)
        let trivial = try VerifierDriver(
            "{\"module\": \"\(checksModule)\", \"function\": \"keep_all\", \"python\": \"\(python)\"}", xCols: cols)

        XCTAssertEqual(try c.verify(x: batch.x, y: batch.y, xCols: cols, firstRow: 0).keep, expected)
        XCTAssertEqual(try sign.verify(x: batch.x, y: batch.y, xCols: cols, firstRow: 0).keep, expected)
        XCTAssertEqual(try trivial.verify(x: batch.x, y: batch.y, xCols: cols, firstRow: 0).keep, [UInt8](repeating: 1, count: rows))

        let repeats = 300
        func microseconds(_ driver: VerifierDriver) throws -> Double {
            var best = Double.infinity
            // The best of five rounds: the least disturbed by other work.
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<repeats { _ = try driver.verify(x: batch.x, y: batch.y, xCols: cols, firstRow: 0) }
                best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(repeats) / 1000)
            }
            return best
        }
        // The rule alone: the C function called directly, no verifier around it.
        typealias BatchRule = @convention(c) (UnsafePointer<Double>, UnsafePointer<Double>, Int, Int, UnsafeMutablePointer<UInt8>) -> Void
        let handle = try XCTUnwrap(dlopen(checker, RTLD_NOW | RTLD_LOCAL))
        let rule = unsafeBitCast(try XCTUnwrap(dlsym(handle, "keep_sign_batch")), to: BatchRule.self)
        var bits = [UInt8](repeating: 0, count: rows)
        var direct = Double.infinity
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repeats { rule(batch.x, batch.y, rows, cols, &bits) }
            direct = min(direct, Double(DispatchTime.now().uptimeNanoseconds - start) / Double(repeats) / 1000)
        }
        XCTAssertEqual(bits, expected)

        let cTime = try microseconds(c), signTime = try microseconds(sign), trivialTime = try microseconds(trivial)
        print(String(format: "per batch of %d rows, d = %d: C rule called directly %.1f µs, C function verifier %.1f µs, python sign.py %.1f µs, python keep_all %.1f µs",
                     rows, cols, direct, cTime, signTime, trivialTime))
    }
}
