import AssayTestSupport
import Foundation
import XCTest
@testable import AssayHost

/// The result document: its "schema" member, and strict reading — straight
/// from JSON and back out of the results store.
final class ResultDocumentTests: XCTestCase {
    /// A result with every kind of member: a verifier with a score and a
    /// curve, baselines with and without one, rounds, a non-finite number.
    private func sample(runID: Int64? = 7) -> ExperimentResult {
        let score = SelectionScore(pairs: 1000, kept: 400, p: 0.25, phi: 0.5, phiInterval: .init(lower: 0.45, upper: 0.55),
                                   psi: 0.1, psiInterval: .init(lower: 0.05, upper: 0.15),
                                   pStar: 0.5 / 0.6, pStarInterval: .init(lower: 0.8, upper: 0.9))
        let curve = [CurvePoint(n: 100, accuracy: 0.7, agreement: 0.72), CurvePoint(n: 1000, accuracy: 0.81, agreement: nil)]
        return ExperimentResult(
            runID: runID, seed: 42, poolSize: 1000, testSize: 500,
            generator: GeneratorSummary(id: "task", version: "1.0", accuracy: 0.75, agreement: 0.8, p: 0.25, config: "{\"d\":3}"),
            bayesAccuracy: 0.9,
            verifiers: [SelectionResult(name: "v", plugin: "some-plugin", version: "2.1", score: score, curve: curve)],
            baselines: [SelectionResult(name: "random", plugin: "baseline", version: nil,
                                        score: SelectionScore(pairs: 1000, kept: 1000, p: 0.25, phi: 1, phiInterval: nil,
                                                              psi: 1, psiInterval: nil, pStar: .nan, pStarInterval: nil),
                                        curve: curve),
                        SelectionResult(name: "clean", plugin: "baseline", version: nil, score: nil, curve: curve)],
            rounds: [RoundPoint(round: 1, selection: "v", generatorAccuracy: 0.75, score: score, point: curve[1]),
                     RoundPoint(round: 2, selection: "v", generatorAccuracy: 0.81, score: score, point: nil)])
    }

    /// NaN is not equal to itself: compare documents, which spell it "nan".
    private func assertSameDocument(_ a: ExperimentResult, _ b: ExperimentResult, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(try a.json(), try b.json(), file: file, line: line)
    }

    func testTheDocumentCarriesItsSchemaAsATopLevelLine() throws {
        let lines = try sample().json().split(separator: "\n")
        // scripts/check-documents.sh drops exactly this line before comparing.
        XCTAssertEqual(lines.filter { $0.hasPrefix("  \"schema\" : ") }, ["  \"schema\" : 1,"])
        XCTAssertTrue(try sample().json(pretty: false).contains("\"schema\":1"))
    }

    func testADocumentRoundTrips() throws {
        let result = sample()
        for pretty in [true, false] {
            let back = try ExperimentResult.decode(json: try result.json(pretty: pretty), source: "test")
            try assertSameDocument(back, result)
            XCTAssertTrue(back.baselines[0].score!.pStar!.isNaN)
            XCTAssertEqual(back.rounds, result.rounds)
            XCTAssertEqual(back.verifiers, result.verifiers)
        }
    }

    func testAWrongOrMissingSchemaIsRefusedInOneLine() throws {
        let json = try sample().json(pretty: false)
        let cases = [
            (json.replacingOccurrences(of: "\"schema\":1", with: "\"schema\":2"), "it has schema 2"),
            (json.replacingOccurrences(of: ",\"schema\":1", with: ""), "it has no \"schema\" member"),
            (json.replacingOccurrences(of: "\"schema\":1", with: "\"schema\":\"1\""), "member \"schema\" is not of type Int"),
            (json.replacingOccurrences(of: "\"seed\":42,", with: ""), "member \"seed\" is missing"),
            (json.replacingOccurrences(of: "\"n\":1000", with: "\"n\":\"many\""), "member \"verifiers[0].curve[1].n\" is not of type Int"),
            (String(json.dropLast()), "not valid JSON"),
        ]
        for (document, expected) in cases {
            XCTAssertThrowsError(try ExperimentResult.decode(json: document, source: "run 7 in test.sqlite")) { error in
                let message = String(describing: error)
                XCTAssertTrue(message.hasPrefix("run 7 in test.sqlite: \(expected)"), message)
                XCTAssertTrue(message.hasSuffix("(expected a document of ExperimentResult, schema 1)"), message)
                XCTAssertFalse(message.contains("\n"), message)
            }
        }
    }

    /// A document as the store keeps it, rewritten in the database file by
    /// Python's sqlite3 (the test target does not link GRDB).
    private func rewriteStoredDocument(_ path: String, run: Int64, _ sql: String) throws {
        let script = "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2], (int(sys.argv[3]),)); c.commit()"
        let result = try runProcess("/usr/bin/env", ["python3", "-c", script, path, sql, "\(run)"])
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testTheStoreReadsItsDocumentBackAndRefusesAnotherSchema() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let store = try ResultsStore(path: folder.file("results.sqlite"))
        let run = try store.beginRun(seed: 42, configPath: "test.toml", source: "", plugins: [])
        try store.finish(run: run, result: sample(runID: run))
        try assertSameDocument(try XCTUnwrap(try store.run(id: run)?.result), sample(runID: run))

        try rewriteStoredDocument(store.path, run: run, "UPDATE run SET result = replace(result, '\"schema\":1', '\"schema\":0') WHERE id = ?")
        XCTAssertThrowsError(try store.run(id: run)) { error in
            XCTAssertEqual(String(describing: error),
                           "run \(run) in \(store.path): it has schema 0 (expected a document of ExperimentResult, schema 1)")
        }
    }
}
