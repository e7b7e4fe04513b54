@testable import AssayHost
import XCTest

/// The one text-table renderer, on tables laid out by hand.
final class TextTableTests: XCTestCase {
    func testNumbersAlignRightAndWordsLeftByContent() {
        let text = TextTable.render(header: ["name", "p*", "note"],
                                    rows: [["oracle", "1.0000", "best"], ["random", "—", "x"], ["a", "-0.5", "long note"]])
        XCTAssertEqual(text, """
            name        p*  note     
            ------  ------  ---------
            oracle  1.0000  best     
            random       —  x        
            a         -0.5  long note
            """)
    }

    func testAHeaderWithoutRowsStaysLeft() {
        XCTAssertEqual(TextTable.render(header: ["run", "n'"], rows: []), "run  n'\n---  --")
    }

    func testLabelThenNumbersKeepsOnlyTheFirstColumnLeft() {
        let text = TextTable.render(header: ["verifier", "θ"], rows: [["m", "0.1"], ["margin", "word"]],
                                    alignment: .labelThenNumbers)
        XCTAssertEqual(text, """
            verifier     θ
            --------  ----
            m          0.1
            margin    word
            """)
    }
}
