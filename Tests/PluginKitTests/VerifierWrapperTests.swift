import PluginAPI
import PluginKit
import XCTest

/// The checks PluginKit's verify wrappers do once for every Swift
/// verifier, and the dispatch to the rule or the scoring protocol.
final class VerifierWrapperTests: XCTestCase {
    private func prepared(_ id: String, config: String = "{}", xCols: Int = 2, yCols: Int = 1) throws -> CallHarness {
        let harness = CallHarness(id)
        let created = harness.create(config)
        XCTAssertEqual(created.status, ok, created.message)
        let prepared = harness.prepare(xCols: xCols, yCols: yCols)
        XCTAssertEqual(prepared.status, ok, prepared.message)
        return harness
    }

    func testRuleVerifierFillsKeepAndLeavesScoreAlone() throws {
        let keeper = try prepared("keeper", config: #"{"threshold": 0.5}"#)
        let selection = keeper.selection()
        XCTAssertEqual(selection.selection.mode, assay_selection_mode(ASSAY_SELECT_RULE))
        let outcome = keeper.verify(rows: 3, xCols: 2, y: [0, 1, 0.7])
        XCTAssertEqual(outcome.status, ok, outcome.message)
        XCTAssertEqual(outcome.keep, [0, 1, 1])
        XCTAssertEqual(outcome.score, [9, 9, 9])
    }

    func testScoringVerifierFillsScoreAndLeavesKeepAlone() throws {
        let scorer = try prepared("scorer")
        let selection = scorer.selection()
        XCTAssertEqual(selection.selection.mode, assay_selection_mode(ASSAY_SELECT_TOP_FRACTION))
        XCTAssertEqual(selection.selection.fraction, 0.25)
        let outcome = scorer.verify(rows: 2, xCols: 2, y: [3, -4])
        XCTAssertEqual(outcome.status, ok, outcome.message)
        XCTAssertEqual(outcome.score, [3, -4])
        XCTAssertEqual(outcome.keep, [9, 9])
    }

    func testAVerifierOfBothKindsIsCalledAsItsSelectionSays() throws {
        let rule = try prepared("either")
        XCTAssertEqual(rule.selection().selection.mode, assay_selection_mode(ASSAY_SELECT_RULE))
        let kept = rule.verify(rows: 2, xCols: 2, y: [0, 0])
        XCTAssertEqual(kept.keep, [1, 1])
        XCTAssertEqual(kept.score, [9, 9])

        let scoring = try prepared("either", config: #"{"fraction": 0.5}"#)
        XCTAssertEqual(scoring.selection().selection.mode, assay_selection_mode(ASSAY_SELECT_TOP_FRACTION))
        let scored = scoring.verify(rows: 2, xCols: 2, y: [0, 0])
        XCTAssertEqual(scored.score, [42, 42])
        XCTAssertEqual(scored.keep, [9, 9])
    }

    func testWrongColumnCountIsRefusedBeforeThePluginRuns() throws {
        let keeper = try prepared("keeper")
        let before = Keeper.calls
        let outcome = keeper.verify(rows: 2, firstRow: 7, xCols: 3, y: [0, 0])
        XCTAssertEqual(outcome.status, argumentError)
        XCTAssertEqual(outcome.message, "batch at row 7: x has 3 columns, expected 2")
        XCTAssertEqual(Keeper.calls, before)
        XCTAssertEqual(outcome.keep, [9, 9])

        let labels = keeper.verify(rows: 1, firstRow: 4, xCols: 2, y: [0, 0], yCols: 2)
        XCTAssertEqual(labels.status, argumentError)
        XCTAssertEqual(labels.message, "batch at row 4: y has 2 columns, expected 1")
    }

    func testMissingLabelsOrOutputBufferAreRefused() throws {
        let keeper = try prepared("keeper")
        let noLabels = keeper.verify(rows: 2, firstRow: 5, xCols: 2, y: nil)
        XCTAssertEqual(noLabels.status, argumentError)
        XCTAssertEqual(noLabels.message, "batch at row 5: labels y are missing")

        let noKeep = keeper.verify(rows: 2, xCols: 2, y: [0, 0], keep: false)
        XCTAssertEqual(noKeep.status, argumentError)
        XCTAssertEqual(noKeep.message, "keeper: verify: keep is NULL; a RULE verifier fills keep[rows]")

        let scorer = try prepared("scorer")
        let noScore = scorer.verify(rows: 2, xCols: 2, y: [0, 0], score: false)
        XCTAssertEqual(noScore.status, argumentError)
        XCTAssertEqual(noScore.message, "scorer: verify: score is NULL; a TOP_FRACTION verifier fills score[rows]")
    }

    func testANonFiniteScoreIsRefusedNamingItsRow() throws {
        let scorer = try prepared("scorer", config: #"{"nan_row": 1}"#)
        let outcome = scorer.verify(rows: 3, firstRow: 100, xCols: 2, y: [1, 2, 3])
        XCTAssertEqual(outcome.status, failedError)
        XCTAssertEqual(outcome.message, "scorer: score of row 101 is nan; expected a finite number")
    }

    func testAnEmptyBatchIsNotPassedOn() throws {
        let keeper = try prepared("keeper")
        let before = Keeper.calls
        // No labels and the wrong columns: nothing is looked at.
        let outcome = keeper.verify(rows: 0, xCols: 5, y: nil, keep: false)
        XCTAssertEqual(outcome.status, ok, outcome.message)
        XCTAssertEqual(Keeper.calls, before)
        XCTAssertEqual(keeper.verify(rows: 1, xCols: 2, y: [1]).keep, [1])
        XCTAssertEqual(Keeper.calls, before + 1)
    }

    func testVerifyBeforePrepareIsRefused() {
        let keeper = CallHarness("keeper")
        XCTAssertEqual(keeper.create().status, ok)
        let outcome = keeper.verify(rows: 1, xCols: 2, y: [0])
        XCTAssertEqual(outcome.status, failedError)
        XCTAssertEqual(outcome.message, "keeper: verify called before prepare")
    }

    func testASelectionTheTypeCannotServeIsRefused() {
        let liar = CallHarness("liar")
        XCTAssertEqual(liar.create().status, ok)
        let expected = "liar: selection is RULE but Liar is not a RuleVerifier"
        let selection = liar.selection()
        XCTAssertEqual(selection.status, failedError)
        XCTAssertEqual(selection.message, expected)
        let prepared = liar.prepare(xCols: 2, yCols: 1)
        XCTAssertEqual(prepared.status, failedError)
        XCTAssertEqual(prepared.message, expected)
    }

    func testAFractionOutsideTheUnitIntervalIsRefused() {
        for fraction in ["0", "1.5", "-0.25"] {
            let harness = CallHarness("any-fraction")
            XCTAssertEqual(harness.create(#"{"fraction": \#(fraction)}"#).status, ok)
            let selection = harness.selection()
            XCTAssertEqual(selection.status, failedError)
            XCTAssertEqual(selection.message,
                           "any-fraction: selection fraction is \(Double(fraction)!); expected a number in (0, 1]")
        }
    }

    func testUnknownAndInvalidConfigKeysAreConfigErrors() {
        let unknown = CallHarness("keeper").create(#"{"threshhold": 1}"#)
        XCTAssertEqual(unknown.status, configError)
        XCTAssertEqual(unknown.message, #"keeper config: unknown key "threshhold"; expected one of: threshold"#)

        let wrong = CallHarness("keeper").create(#"{"threshold": "high"}"#)
        XCTAssertEqual(wrong.status, configError)
        XCTAssertEqual(wrong.message, #"keeper config: "threshold" must be a finite number, got high"#)

        let notJSON = CallHarness("keeper").create("[1]")
        XCTAssertEqual(notJSON.status, configError)
        XCTAssertEqual(notJSON.message, "keeper config: expected a JSON object, got [1]")
    }

    func testAThrownMessageCrossesAsOneNulTerminatedLine() throws {
        let thrower = try prepared("thrower", config: #"{"message": "first line\nsecond line"}"#)
        let outcome = thrower.verify(rows: 1, xCols: 2, y: [0])
        XCTAssertEqual(outcome.status, failedError)
        XCTAssertEqual(outcome.message, "first line second line")

        // Longer than the buffer: cut to ASSAY_ERROR_CAPACITY - 1 bytes and a NUL.
        let long = String(repeating: "x", count: 2 * Int(ASSAY_ERROR_CAPACITY))
        let cut = try prepared("thrower", config: #"{"message": "\#(long)"}"#)
        let truncated = cut.verify(rows: 1, xCols: 2, y: [0])
        XCTAssertEqual(truncated.message, String(repeating: "x", count: Int(ASSAY_ERROR_CAPACITY) - 1))
    }
}
