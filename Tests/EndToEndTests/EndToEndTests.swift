import AssayTestSupport
import Foundation
import XCTest

/// The must-shows, through the real `assay` CLI: the plugin list,
/// exact p* of the oracle and of no selection, the noisy oracle's p*, the
/// JSON document, the results store, and reproducibility across runs and
/// thread counts.
final class EndToEndTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-end-to-end")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    /// configs/default.toml with a smaller pool, test set and grid, for the
    /// tests that run it more than once.
    private func smallDefaultConfig() throws -> String {
        var text = try String(contentsOfFile: Paths.defaultConfig, encoding: .utf8)
        for (old, new) in [
            ("size = 400_000", "size = 60_000"),
            ("size = 100_000", "size = 20_000"),
            ("n = [100, 1_000, 10_000, 30_000]", "n = [100, 1_000, 10_000]"),
        ] {
            XCTAssertTrue(text.contains(old), "configs/default.toml no longer has `\(old)`; update this test")
            text = text.replacingOccurrences(of: old, with: new)
        }
        return try scratch.write("small-default.toml", text)
    }

    private func runJSON(_ arguments: [String], line: UInt = #line) throws -> [String: Any] {
        let result = try assay(arguments + ["--json"], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr, line: line)
        return try jsonObject(result.stdout)
    }

    // MARK: Plugins

    func testPluginsListsTheBuiltInPlugins() throws {
        let result = try assay(["plugins"], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let rows = lines(result.stdout).map { $0.split(separator: " ").map(String.init) }
        let kinds = Dictionary(rows.compactMap { $0.count >= 2 ? ($0[0], $0[1]) : nil }, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(kinds["gaussian-mixture"], "generator", result.stdout)
        for id in ["oracle", "noisy", "perplexity", "margin"] {
            XCTAssertEqual(kinds[id], "verifier", "\(id):\n\(result.stdout)")
        }
        XCTAssertFalse(result.stdout.contains("unusable:"), result.stdout)
    }

    // MARK: The default config

    func testOracleAndNoSelectionHaveExactBreakdownPoints() throws {
        let document = try DefaultRun.output().document
        let oracle = try XCTUnwrap(entry(document, "oracle"))
        XCTAssertEqual(oracle["p_star"] as? Double, 1, "oracle p* must be exactly 1")
        XCTAssertEqual(oracle["psi"] as? Double, 0)
        XCTAssertEqual(oracle["phi"] as? Double, 1)
        let random = try XCTUnwrap(entry(document, "random", in: "baselines"))
        XCTAssertEqual(random["p_star"] as? Double, 0.5, "random baseline p* must be exactly 1/2")
        XCTAssertEqual(random["kept"] as? Int, 400_000)
    }

    func testNoisyOracleBreakdownPoint() throws {
        // (ϕ, ψ) = (1, 0.25) → p* = 1/1.25 = 0.8.
        let document = try DefaultRun.output().document
        let noisy = try XCTUnwrap(entry(document, "noisy-0.25"))
        XCTAssertEqual(try XCTUnwrap(noisy["p_star"] as? Double), 0.8, accuracy: 0.01)
        XCTAssertEqual(noisy["phi"] as? Double, 1)
        XCTAssertEqual(try XCTUnwrap(noisy["psi"] as? Double), 0.25, accuracy: 0.01)
        let interval = try XCTUnwrap(noisy["p_star_interval"] as? [String: Double])
        let pStar = try XCTUnwrap(noisy["p_star"] as? Double)
        XCTAssertTrue(interval["lower"]! <= pStar && pStar <= interval["upper"]!, "\(interval)")
    }

    func testJSONDocumentShape() throws {
        let document = try DefaultRun.output().document
        XCTAssertEqual(document["seed"] as? Int, 1)
        XCTAssertEqual(document["pool_size"] as? Int, 400_000)
        XCTAssertEqual(document["test_size"] as? Int, 100_000)
        XCTAssertNotNil(document["run_id"] as? Int)
        let bayes = try XCTUnwrap(document["bayes_accuracy"] as? Double)
        XCTAssertTrue(bayes > 0.5 && bayes < 1)

        let generator = try XCTUnwrap(document["generator"] as? [String: Any])
        XCTAssertEqual(generator["id"] as? String, "gaussian-mixture")
        let accuracy = try XCTUnwrap(generator["accuracy"] as? Double)
        let p = try XCTUnwrap(generator["p"] as? Double)
        XCTAssertTrue(accuracy > 0.5 && accuracy < bayes, "generator accuracy \(accuracy)")
        XCTAssertTrue(p > 0 && p < 0.5, "generator p \(p)")
        // p is the error of the synthesized labels on the pool: the random
        // baseline (every pair kept) measures the same pool.
        let random = try XCTUnwrap(entry(document, "random", in: "baselines"))
        XCTAssertEqual(random["p"] as? Double, p)

        let grid = [100, 1_000, 10_000, 30_000]
        let verifiers = try XCTUnwrap(document["verifiers"] as? [[String: Any]])
        XCTAssertEqual(verifiers.compactMap { $0["name"] as? String },
                       ["oracle", "noisy-0.25", "margin-pi/24", "margin-pi/12", "margin-n1000",
                        "self-perplexity-0.25", "strong-perplexity-0.25"])
        for verifier in verifiers {
            let name = verifier["name"] as? String ?? "?"
            for key in ["phi", "psi", "p_star"] {
                let value = try XCTUnwrap(verifier[key] as? Double, "\(name).\(key)")
                XCTAssertTrue(value >= 0 && value <= 1, "\(name).\(key) = \(value)")
            }
            XCTAssertEqual(verifier["p"] as? Double, p, "every selection sees the same pool: \(name)")
            try assertCurve(verifier["curve"], grid: grid, name: name)
        }

        let baselines = try XCTUnwrap(document["baselines"] as? [[String: Any]])
        XCTAssertEqual(Set(baselines.compactMap { $0["name"] as? String }), ["random", "clean"])
        for baseline in baselines {
            try assertCurve(baseline["curve"], grid: grid, name: baseline["name"] as? String ?? "?")
        }
    }

    private func assertCurve(_ raw: Any?, grid: [Int], name: String, line: UInt = #line) throws {
        let curve = try XCTUnwrap(raw as? [[String: Any]], "\(name) has no curve", line: line)
        XCTAssertEqual(curve.compactMap { $0["n"] as? Int }, grid, "\(name)", line: line)
        for point in curve {
            let accuracy = try XCTUnwrap(point["accuracy"] as? Double, "\(name): \(point)", line: line)
            XCTAssertTrue(accuracy > 0 && accuracy <= 1, "\(name): \(point)", line: line)
        }
    }

    // MARK: The results store

    func testResultsListsTheRunAndShowsTheSameDocument() throws {
        let run = try DefaultRun.output()
        let id = try XCTUnwrap(run.document["run_id"] as? Int)

        let listing = try assay(["results", "--db", run.db], in: scratch.path)
        XCTAssertEqual(listing.status, 0, listing.stderr)
        let row = lines(listing.stdout).first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("\(id) ") }
        XCTAssertNotNil(row, listing.stdout)
        XCTAssertTrue(row?.contains("completed") ?? false, listing.stdout)
        XCTAssertTrue(row?.contains("default.toml") ?? false, listing.stdout)

        let shown = try assay(["results", "\(id)", "--json", "--db", run.db], in: scratch.path)
        XCTAssertEqual(shown.status, 0, shown.stderr)
        XCTAssertEqual(try jsonObject(shown.stdout) as NSDictionary, run.document as NSDictionary)
        XCTAssertEqual(shown.stdout, run.result.stdout, "the same document, byte for byte")

        let table = try assay(["results", "\(id)", "--db", run.db], in: scratch.path)
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertTrue(table.stdout.contains("completed"), table.stdout)
        XCTAssertTrue(table.stdout.contains("noisy-0.25"), table.stdout)
    }

    func testResultsOfAnUnknownRun() throws {
        let db = scratch.file("empty.sqlite")
        let result = try assay(["results", "42", "--db", db], in: scratch.path)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(lines(result.stderr).count, 1, result.stderr)
        XCTAssertTrue(result.stderr.hasPrefix("assay: error: "), result.stderr)
        XCTAssertTrue(result.stderr.contains("42"), result.stderr)
    }

    // MARK: `assay score`

    func testScoreMeasuresWhatRunMeasuresWithoutRetraining() throws {
        let config = try scratch.write("score.toml", smallConfig(verifiers: """
            [[verifier]]
            name = "noisy"
            plugin = "noisy"
            p_noise = 0.3

            [[verifier]]
            name = "margin"
            plugin = "margin"
            n_clean = 500
            """))
        let db = scratch.file("score.sqlite")
        let run = try runJSON(["run", config, "--db", db])
        let score = try runJSON(["score", config, "--db", db])
        for name in ["noisy", "margin"] {
            var fromRun = try XCTUnwrap(entry(run, name), name)
            var fromScore = try XCTUnwrap(entry(score, name), name)
            XCTAssertFalse((fromRun["curve"] as? [Any] ?? []).isEmpty, name)
            XCTAssertTrue((fromScore["curve"] as? [Any])?.isEmpty ?? false, "score does not retrain: \(name)")
            fromRun["curve"] = nil
            fromScore["curve"] = nil
            XCTAssertEqual(fromRun as NSDictionary, fromScore as NSDictionary, name)
        }
    }

    // MARK: Reproducibility

    func testSameSeedGivesTheSameDocument() throws {
        let config = try smallDefaultConfig()
        let db = scratch.file("twice.sqlite")
        let first = try runJSON(["run", config, "--db", db])
        let second = try runJSON(["run", config, "--db", db])
        XCTAssertNotEqual(first["run_id"] as? Int, second["run_id"] as? Int, "two runs, two ids")
        XCTAssertEqual(withoutRunID(first), withoutRunID(second))
    }

    func testAnotherSeedGivesAnotherDocument() throws {
        // The guard against a vacuous "same seed, same document": the seed
        // does reach the pool and the generator.
        let config = try scratch.write("seeds.toml", smallConfig(seed: 1, verifiers: """
            [[verifier]]
            name = "noisy"
            plugin = "noisy"
            p_noise = 0.25
            """))
        let db = scratch.file("seeds.sqlite")
        let first = try runJSON(["run", config, "--db", db])
        let second = try runJSON(["run", config, "--seed", "2", "--db", db])
        XCTAssertEqual(second["seed"] as? Int, 2)
        XCTAssertNotEqual(withoutRunID(first).value(forKey: "generator") as? NSDictionary,
                          withoutRunID(second).value(forKey: "generator") as? NSDictionary)
    }

    func testThreadCountDoesNotChangeTheResults() throws {
        let config = try smallDefaultConfig()
        let db = scratch.file("threads.sqlite")
        let one = try runJSON(["run", config, "--threads", "1", "--db", db])
        let two = try runJSON(["run", config, "--threads", "2", "--db", db])
        XCTAssertEqual(withoutRunID(one), withoutRunID(two))
    }
}
