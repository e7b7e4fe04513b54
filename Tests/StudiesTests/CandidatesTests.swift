@testable import AssayHost
@testable import AssayStudies
import AssayTestSupport
import Foundation
import XCTest

/// `assay candidates` end to end on `configs/eigen.toml --quick`, and its
/// config errors.
final class CandidatesTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-candidates")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    /// The `assay` built with these tests (beside the test executable,
    /// whatever --build-path), run in the scratch folder.
    private func candidates(_ arguments: [String]) throws -> ProcessResult {
        let folder = try XCTUnwrap(PluginCatalog.buildFolder)
        let executable = folder + "/assay"
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            XCTFail("\(executable) is missing; run `swift build` first")
            throw MissingBuild(description: "no assay executable")
        }
        return try runProcess(executable, ["candidates"] + arguments, in: scratch.path)
    }

    private var eigenConfig: String { Paths.root + "/configs/eigen.toml" }

    private func rows(_ result: ProcessResult, file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        XCTAssertEqual(result.status, 0, result.stderr, file: file, line: line)
        let document = try jsonObject(result.stdout)
        return try XCTUnwrap(document["rows"] as? [[String: Any]], file: file, line: line)
    }

    func testOracleRisesWithKAndSelfSelectionStaysAtItsPrediction() throws {
        let table = try rows(try candidates([eigenConfig, "--quick", "--json"]))
        let ks = table.compactMap { $0["k"] as? Int }
        let oracle = table.compactMap { $0["oracle"] as? Double }
        let chosen = table.compactMap { $0["self_selected"] as? Double }
        XCTAssertEqual(ks, [1, 5, 10, 25, 50])
        XCTAssertEqual(oracle.count, 5)
        XCTAssertEqual(chosen.count, 5)
        // k = 1 is the model's own prediction, picked by either column.
        XCTAssertEqual(oracle[0], chosen[0])
        for i in 1..<oracle.count {
            XCTAssertGreaterThanOrEqual(oracle[i], oracle[i - 1], "oracle column falls from k = \(ks[i - 1]) to k = \(ks[i]): \(oracle)")
            XCTAssertEqual(chosen[i], chosen[0], accuracy: 0.02, "self-selection moved more than 2 points from k = 1: \(chosen)")
        }
        XCTAssertGreaterThan(oracle.last!, chosen.last! + 0.1, "verifying all candidates should beat self-selection: \(oracle) vs \(chosen)")
    }

    func testSameNumbersForAnyThreadCount() throws {
        let one = try candidates([eigenConfig, "--quick", "--json", "--threads", "1"])
        let two = try candidates([eigenConfig, "--quick", "--json", "--threads", "2"])
        XCTAssertEqual(one.status, 0, one.stderr)
        XCTAssertEqual(withoutRunID(try jsonObject(one.stdout)), withoutRunID(try jsonObject(two.stdout)))
        let other = try candidates([eigenConfig, "--quick", "--json", "--seed", "2"])
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertNotEqual(withoutRunID(try jsonObject(one.stdout)), withoutRunID(try jsonObject(other.stdout)), "the seed must matter")
    }

    func testTheRunIsStored() throws {
        let db = scratch.file("candidates.sqlite")
        let result = try candidates([eigenConfig, "--quick", "--json", "--db", db])
        let document = try jsonObject(result.stdout)
        let id = try XCTUnwrap(document["run_id"] as? Int)
        let table = try rows(result)
        let shown = try assay(["results", "\(id)", "--db", db])
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertTrue(shown.stdout.contains("oracle: best of k"), shown.stdout)
        let oracle50 = try XCTUnwrap(table.last?["oracle"] as? Double)
        XCTAssertTrue(shown.stdout.contains(String(format: "%.4f", oracle50)), shown.stdout)
        let again = try assay(["results", "\(id)", "--db", db, "--json"])
        XCTAssertEqual(withoutRunID(try jsonObject(again.stdout)), withoutRunID(document), "the stored document is the printed one")
        let stored = try XCTUnwrap(try ResultsStore(path: db).run(id: Int64(id)))
        XCTAssertEqual(stored.metrics.first { $0.name == "candidates_oracle_k50" }?.value, oracle50)
        XCTAssertTrue(stored.config.contains("[candidates]"), "the config text is stored with the run")
        let report = try assay(["report", "\(id)", "--db", db, "--output", "-"])
        XCTAssertNotEqual(report.status, 0)
        XCTAssertTrue(report.stderr.contains("is not an `assay run` experiment"), report.stderr)
    }

    func testBadConfigIsOneLineNamingFileAndField() throws {
        let path = try scratch.write("bad.toml", """
            [generator]
            plugin = "symmetric-eigen"
            [candidates]
            k = [1, 5]
            sizes = 100
            """)
        let result = try candidates([path])
        XCTAssertNotEqual(result.status, 0)
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(lines(message).count, 1, message)
        XCTAssertTrue(message.contains(path) && message.contains("unknown key \"sizes\""), message)
    }

    func testBadTauReachesTheUserAsOneLine() throws {
        let path = try scratch.write("tau.toml", """
            [generator]
            plugin = "symmetric-eigen"
            tau = 5
            """)
        let result = try candidates([path])
        XCTAssertNotEqual(result.status, 0)
        let message = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(lines(message).count, 1, message)
        XCTAssertTrue(message.contains("\"tau\" must be a number in (0, 1)"), message)
    }

    private func parseError(_ text: String) -> String? {
        do {
            _ = try CandidatesConfig.parse(text, path: "c.toml")
            return nil
        } catch {
            return "\(error)"
        }
    }

    func testConfigFieldsAreChecked() throws {
        let generator = "[generator]\nplugin = \"symmetric-eigen\"\n"
        let config = try CandidatesConfig.parse(generator + "[candidates]\nk = [10, 1, 5, 5]\nfirst = \"synthesize\"\n", path: "c.toml")
        XCTAssertEqual(config.ks, [1, 5, 10], "sorted, without repeats")
        XCTAssertEqual(config.first, .synthesize)
        XCTAssertEqual(config.testSize, 20_000)
        XCTAssertEqual(config.generator.configJSON, "{}")

        let quick = try CandidatesConfig.parse(generator + "[candidates]\nsize = 500\n[quick]\ncandidates = { size = 50 }\n",
                                               path: "c.toml", quick: true)
        XCTAssertEqual(quick.testSize, 50, "--quick lays [quick] over the rest")

        let cases: [(String, String)] = [
            (generator + "[sweep]\nseed = [1, 2]\n", "c.toml: [sweep] and [report] are for `assay run`"),
            (generator + "[candidates]\nk = [0, 5]\n", "c.toml [candidates]: \"k\" must be an array of integers in [1, 10000]"),
            (generator + "[candidates]\nk = []\n", "\"k\" must list at least one candidate count"),
            (generator + "[candidates]\nsize = 0\n", "\"size\" must be an integer in [1, 100000000]"),
            (generator + "[candidates]\nfirst = \"best\"\n", "\"first\" must be one of \"predict\", \"synthesize\""),
            ("seeds = 3\n" + generator, "c.toml: unknown key \"seeds\""),
            ("[candidates]\nk = [1]\n", "c.toml [generator]: missing \"plugin\""),
        ]
        for (text, expected) in cases {
            let message = parseError(text)
            XCTAssertNotNil(message, "accepted:\n\(text)")
            XCTAssertTrue(message?.contains(expected) ?? false, "expected \(expected), got \(message ?? "nil")")
            XCTAssertFalse(message?.contains("\n") ?? true, "not one line: \(message ?? "")")
        }
    }
}
