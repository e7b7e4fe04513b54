@testable import AssayHost
import AssayTestSupport
import Foundation
import PluginAPI
import XCTest

/// A `[sweep]` config with iterated rounds through the CLI: every point is a
/// stored run of one sweep, rounds re-measure every chain, and the report
/// draws the sweep.
final class SweepRunTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        try requireBuild()
        scratch = try TemporaryFolder("assay-sweep")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    private func config(threads: Int = 2, sweep: Bool = true) -> String {
        smallConfig(pool: 6000, chunk: 1000, test: 3000, retrain: [100, 400], threads: threads, verifiers: """
            [[verifier]]
            name = "oracle"
            plugin = "oracle"

            [[verifier]]
            name = "noisy-0.5"
            plugin = "noisy"
            p_noise = 0.5

            [[verifier]]
            name = "self-perplexity"
            plugin = "perplexity"
            r = 0.5
            """).replacingOccurrences(of: "n = [100, 400]", with: "n = [100, 400]\nrounds = 3")
            + (sweep ? "\n[sweep]\n\"generator.n0\" = [200, 400]\nseed = [7, 8]\n[report]\nclaims = [\"figure3\"]\n" : "")
    }

    func testSweepWithRoundsRunsStoresAndReports() throws {
        let path = try scratch.write("sweep.toml", config())
        let db = scratch.file("sweep.sqlite")
        let run = try assay(["run", path, "--db", db, "--json"], in: scratch.path)
        XCTAssertEqual(run.status, 0, run.stderr)
        let document = try jsonObject(run.stdout)
        let points = try XCTUnwrap(document["points"] as? [[String: Any]])
        XCTAssertEqual(points.count, 4)
        XCTAssertEqual(points.compactMap { ($0["point"] as? [String: Any])?["seed"] as? Int }, [7, 8, 7, 8])
        XCTAssertEqual(points.compactMap { ($0["point"] as? [String: Any])?["generator.n0"] as? Int }, [200, 200, 400, 400])

        for point in points {
            let result = try XCTUnwrap(point["result"] as? [String: Any])
            let rounds = try XCTUnwrap(result["rounds"] as? [[String: Any]])
            // Three verifiers and random, three rounds each.
            XCTAssertEqual(rounds.count, 12)
            for chain in ["oracle", "noisy-0.5", "self-perplexity", "random"] {
                let entries = rounds.filter { $0["selection"] as? String == chain }
                XCTAssertEqual(entries.compactMap { $0["round"] as? Int }, [1, 2, 3], chain)
                // Round r's synthesizer is round r − 1's retrained model.
                for (previous, next) in zip(entries, entries.dropFirst()) {
                    let retrained = try XCTUnwrap((previous["point"] as? [String: Any])?["accuracy"] as? Double)
                    XCTAssertEqual(next["generator_accuracy"] as? Double, retrained, chain)
                    XCTAssertNotNil((next["score"] as? [String: Any])?["p_star"], "p* re-measured for \(chain)")
                }
            }
            // Round 1 is the ordinary run at the largest n'.
            let oracle = try XCTUnwrap(entry(result, "oracle"))
            let curve = try XCTUnwrap(oracle["curve"] as? [[String: Any]])
            let largest = try XCTUnwrap(curve.last { $0["n"] as? Int == 400 })
            let first = try XCTUnwrap(rounds.first { $0["selection"] as? String == "oracle" && $0["round"] as? Int == 1 })
            XCTAssertEqual((first["point"] as? [String: Any])?["accuracy"] as? Double, largest["accuracy"] as? Double)
        }

        let text = try assay(["results", "--db", db])
        XCTAssertEqual(text.status, 0, text.stderr)
        XCTAssertEqual(lines(text.stdout).filter { $0.contains("completed") }.count, 4)

        let html = scratch.file("report.html"), figures = scratch.file("figures")
        let report = try assay(["report", "3", "--db", db, "--output", html, "--figures", figures], in: scratch.path)
        XCTAssertEqual(report.status, 0, report.stderr)
        let page = try String(contentsOfFile: html, encoding: .utf8)
        XCTAssertTrue(page.contains("runs 1, 2, 3, 4"), "any run of the sweep reports the whole sweep")
        XCTAssertTrue(page.contains("Figure 3 claims at the largest n&#39;"), "the config's [report] claims")
        ReportTests.assertSelfContained(page)
        let names = try FileManager.default.contentsOfDirectory(atPath: figures).sorted()
        XCTAssertEqual(names, ["accuracy-pstar-1.svg", "accuracy-pstar-2.svg", "pstar-1.svg", "rounds-1.svg", "rounds-2.svg",
                               "scaling-1.svg", "scaling-2.svg"])
        for name in names {
            XCTAssertGreaterThan(try ReportTests.renderedColours(figures + "/" + name), 5, name)
        }
        let scaling = try String(contentsOfFile: figures + "/scaling-1.svg", encoding: .utf8)
        XCTAssertTrue(scaling.contains("Scaling — generator.n0 = 200"), "one figure per group of seeds")
    }

    func testABadPointFailsTheSweepBeforeAnyRun() throws {
        let text = config(sweep: false) + "\n[sweep]\n\"generator.n0\" = [200, 50]\n"
        let path = try scratch.write("bad.toml", text)
        let db = scratch.file("bad.sqlite")
        let run = try assay(["run", path, "--db", db])
        XCTAssertNotEqual(run.status, 0)
        let message = run.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(lines(message).count, 1, message)
        XCTAssertTrue(message.contains("sweep point 2/2 [generator.n0 = 50]"), message)
        XCTAssertTrue(message.contains("\"n0\" must be at least d = 100"), message)
        let results = try assay(["results", "--db", db])
        XCTAssertFalse(results.stdout.contains("completed") || results.stdout.contains("failed"), "no run was started")
    }

    func testRoundsAreTheSameOnOneAndTwoThreads() throws {
        let one = try scratch.write("one.toml", config(threads: 1, sweep: false))
        let two = try scratch.write("two.toml", config(threads: 2, sweep: false))
        let first = try assay(["run", one, "--db", scratch.file("1.sqlite"), "--json"])
        let second = try assay(["run", two, "--db", scratch.file("2.sqlite"), "--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        XCTAssertEqual(second.status, 0, second.stderr)
        let a = try jsonObject(first.stdout), b = try jsonObject(second.stdout)
        XCTAssertEqual((a["rounds"] as? [[String: Any]])?.count, 12)
        XCTAssertEqual(a["rounds"] as? NSArray, b["rounds"] as? NSArray)
    }
}
