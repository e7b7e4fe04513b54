import Numerics
import XCTest

final class DotTests: XCTestCase {
    func testDotOnAHandComputedCase() {
        // 1·4 + 2·(−5) + 3·6 = 4 − 10 + 18 = 12
        XCTAssertEqual(dot([1, 2, 3], [4, -5, 6]), 12)
        XCTAssertEqual(dot([], []), 0)
    }

    func testTheSumRunsInIndexOrder() {
        // (1e16 + 1) − 1e16 loses the 1 in index order; another order would keep it.
        XCTAssertEqual(dot([1e16, 1, -1e16], [1, 1, 1]), 0)
    }
}
