import PluginAPI
import PluginTestSupport
import XCTest

/// The generator wrappers size outputs from prepare's shape and check each
/// batch against it.
final class GeneratorWrapperTests: XCTestCase {
    func testLabelIsCheckedAgainstThePreparedShape() throws {
        let constant = try GeneratorHarness(table: testLibrary.table, id: "constant", config: "{}")
        XCTAssertEqual(failing { try constant.label(model: "generator", x: [0, 0, 0, 0], xCols: 2) },
                       Failure(status: failedError, "constant: label called before prepare"))

        try constant.prepare(seed: 1)
        XCTAssertEqual(failing { try constant.label(model: "generator", x: [0, 0, 0, 0, 0, 0], xCols: 3) },
                       Failure(status: argumentError, "batch at row 0: x has 3 columns, expected 2"))
        XCTAssertEqual(try constant.label(model: "generator", x: [0, 0, 0, 0], xCols: 2), [1, 1])
    }
}
