import PluginAPI
import PluginKit
import XCTest

/// The generator wrappers size outputs from prepare's shape and check each
/// batch against it.
final class GeneratorWrapperTests: XCTestCase {
    func testLabelIsCheckedAgainstThePreparedShape() {
        let constant = CallHarness("constant")
        XCTAssertEqual(constant.create().status, ok)

        let early = constant.label(rows: 2, xCols: 2)
        XCTAssertEqual(early.status, failedError)
        XCTAssertEqual(early.message, "constant: label called before prepare")

        XCTAssertEqual(constant.prepareGenerator().status, ok)
        let wrong = constant.label(rows: 2, xCols: 3)
        XCTAssertEqual(wrong.status, argumentError)
        XCTAssertEqual(wrong.message, "batch at row 0: x has 3 columns, expected 2")
        XCTAssertEqual(wrong.y, [9, 9])

        let right = constant.label(rows: 2, xCols: 2)
        XCTAssertEqual(right.status, ok, right.message)
        XCTAssertEqual(right.y, [1, 1])
    }
}
