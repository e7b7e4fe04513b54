import PluginAPI
import PluginKit
import PluginTestSupport
import XCTest

let argumentError = assay_status(ASSAY_ERROR_ARGUMENT)
let configError = assay_status(ASSAY_ERROR_CONFIG)
let failedError = assay_status(ASSAY_ERROR_FAILED)

/// The checks PluginKit's verify wrappers do once for every Swift
/// verifier, and the dispatch to the rule or the scoring protocol.
final class VerifierWrapperTests: XCTestCase {
    private func harness(_ id: String) throws -> VerifierHarness {
        try VerifierHarness(table: testLibrary.table, id: id)
    }

    private func prepared(_ id: String, config: String = "{}", xCols: Int = 2, yCols: Int = 1) throws -> VerifierHarness {
        let verifier = try harness(id)
        try verifier.start(config, xCols: xCols, yCols: yCols)
        return verifier
    }

    func testRuleVerifierFillsKeepAndLeavesScoreAlone() throws {
        let keeper = try prepared("keeper", config: #"{"threshold": 0.5}"#)
        XCTAssertEqual(try keeper.selection().mode, assay_selection_mode(ASSAY_SELECT_RULE))
        let outcome = try keeper.verify(rows: 3, xCols: 2, y: [0, 1, 0.7])
        XCTAssertEqual(outcome.keep, [0, 1, 1])
        XCTAssertEqual(outcome.score, [9, 9, 9])
    }

    func testScoringVerifierFillsScoreAndLeavesKeepAlone() throws {
        let scorer = try prepared("scorer")
        let selection = try scorer.selection()
        XCTAssertEqual(selection.mode, assay_selection_mode(ASSAY_SELECT_TOP_FRACTION))
        XCTAssertEqual(selection.fraction, 0.25)
        let outcome = try scorer.verify(rows: 2, xCols: 2, y: [3, -4])
        XCTAssertEqual(outcome.score, [3, -4])
        XCTAssertEqual(outcome.keep, [9, 9])
    }

    func testAVerifierOfBothKindsIsCalledAsItsSelectionSays() throws {
        let rule = try prepared("either")
        XCTAssertEqual(try rule.selection().mode, assay_selection_mode(ASSAY_SELECT_RULE))
        let kept = try rule.verify(rows: 2, xCols: 2, y: [0, 0])
        XCTAssertEqual(kept.keep, [1, 1])
        XCTAssertEqual(kept.score, [9, 9])

        let scoring = try prepared("either", config: #"{"fraction": 0.5}"#)
        XCTAssertEqual(try scoring.selection().mode, assay_selection_mode(ASSAY_SELECT_TOP_FRACTION))
        let scored = try scoring.verify(rows: 2, xCols: 2, y: [0, 0])
        XCTAssertEqual(scored.score, [42, 42])
        XCTAssertEqual(scored.keep, [9, 9])
    }

    func testWrongColumnCountIsRefusedBeforeThePluginRuns() throws {
        let keeper = try prepared("keeper")
        let before = Keeper.calls
        XCTAssertEqual(failing { _ = try keeper.verify(rows: 2, firstRow: 7, xCols: 3, y: [0, 0]) },
                       Failure(status: argumentError, "batch at row 7: x has 3 columns, expected 2"))
        XCTAssertEqual(Keeper.calls, before)
        XCTAssertEqual(failing { _ = try keeper.verify(rows: 1, firstRow: 4, xCols: 2, y: [0, 0], yCols: 2) },
                       Failure(status: argumentError, "batch at row 4: y has 2 columns, expected 1"))
    }

    func testMissingLabelsOrOutputBufferAreRefused() throws {
        let keeper = try prepared("keeper")
        XCTAssertEqual(failing { _ = try keeper.verify(rows: 2, firstRow: 5, xCols: 2, y: nil) },
                       Failure(status: argumentError, "batch at row 5: labels y are missing"))
        XCTAssertEqual(failing { _ = try keeper.verify(rows: 2, xCols: 2, y: [0, 0], keep: false) },
                       Failure(status: argumentError, "keeper: verify: keep is NULL; a RULE verifier fills keep[rows]"))

        let scorer = try prepared("scorer")
        XCTAssertEqual(failing { _ = try scorer.verify(rows: 2, xCols: 2, y: [0, 0], score: false) },
                       Failure(status: argumentError, "scorer: verify: score is NULL; a TOP_FRACTION verifier fills score[rows]"))
    }

    func testANonFiniteScoreIsRefusedNamingItsRow() throws {
        let scorer = try prepared("scorer", config: #"{"nan_row": 1}"#)
        XCTAssertEqual(failing { _ = try scorer.verify(rows: 3, firstRow: 100, xCols: 2, y: [1, 2, 3]) },
                       Failure(status: failedError, "scorer: score of row 101 is nan; expected a finite number"))
    }

    func testAnEmptyBatchIsNotPassedOn() throws {
        let keeper = try prepared("keeper")
        let before = Keeper.calls
        // No labels and the wrong columns: nothing is looked at.
        XCTAssertNil(failing { _ = try keeper.verify(rows: 0, xCols: 5, y: nil, keep: false) })
        XCTAssertEqual(Keeper.calls, before)
        XCTAssertEqual(try keeper.verify(rows: 1, xCols: 2, y: [1]).keep, [1])
        XCTAssertEqual(Keeper.calls, before + 1)
    }

    func testVerifyBeforePrepareIsRefused() throws {
        let keeper = try harness("keeper")
        try keeper.create("{}")
        XCTAssertEqual(failing { _ = try keeper.verify(rows: 1, xCols: 2, y: [0]) },
                       Failure(status: failedError, "keeper: verify called before prepare"))
    }

    func testASelectionTheTypeCannotServeIsRefused() throws {
        let liar = try harness("liar")
        try liar.create("{}")
        let expected = Failure(status: failedError, "liar: selection is RULE but Liar is not a RuleVerifier")
        XCTAssertEqual(failing { _ = try liar.selection() }, expected)
        XCTAssertEqual(failing { try liar.prepare(xCols: 2) }, expected)
    }

    func testAFractionOutsideTheUnitIntervalIsRefused() throws {
        for fraction in ["0", "1.5", "-0.25"] {
            let verifier = try harness("any-fraction")
            try verifier.create(#"{"fraction": \#(fraction)}"#)
            XCTAssertEqual(failing { _ = try verifier.selection() },
                           Failure(status: failedError,
                                   "any-fraction: selection fraction is \(Double(fraction)!); expected a number in (0, 1]"))
        }
    }

    func testUnknownAndInvalidConfigKeysAreConfigErrors() throws {
        XCTAssertEqual(failing { try harness("keeper").create(#"{"threshhold": 1}"#) },
                       Failure(status: configError, #"keeper config: unknown key "threshhold"; expected one of: threshold"#))
        XCTAssertEqual(failing { try harness("keeper").create(#"{"threshold": "high"}"#) },
                       Failure(status: configError, #"keeper config: "threshold" must be a finite number, got high"#))
        XCTAssertEqual(failing { try harness("keeper").create("[1]") },
                       Failure(status: configError, "keeper config: expected a JSON object, got [1]"))
    }

    func testAThrownMessageCrossesAsOneNulTerminatedLine() throws {
        let thrower = try prepared("thrower", config: #"{"message": "first line\nsecond line"}"#)
        XCTAssertEqual(failing { _ = try thrower.verify(rows: 1, xCols: 2, y: [0]) },
                       Failure(status: failedError, "first line second line"))

        // Longer than the buffer: cut to ASSAY_ERROR_CAPACITY - 1 bytes and a NUL.
        let long = String(repeating: "x", count: 2 * Int(ASSAY_ERROR_CAPACITY))
        let cut = try prepared("thrower", config: #"{"message": "\#(long)"}"#)
        XCTAssertEqual(failing { _ = try cut.verify(rows: 1, xCols: 2, y: [0]) }?.description,
                       String(repeating: "x", count: Int(ASSAY_ERROR_CAPACITY) - 1))
    }
}
