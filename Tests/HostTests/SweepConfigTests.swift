@testable import AssayHost
import AssayTestSupport
import Foundation
import XCTest

/// The host's own tables of a config file: `[quick]` overrides, `[sweep]`
/// expansion into runs, `[report]` claims, and their one-line errors.
final class SweepConfigTests: XCTestCase {
    private let base = smallConfig(pool: 4000, retrain: [100, 1000], verifiers: """
        [[verifier]]
        name = "oracle"
        plugin = "oracle"

        [[verifier]]
        name = "noisy"
        plugin = "noisy"
        p_noise = 0.25
        """)

    private func plan(_ extra: String, quick: Bool = false) throws -> SweepPlan {
        try SweepPlan(file: ConfigFile.parse(base + "\n" + extra, path: "exp.toml", quick: quick))
    }

    private func generator(_ config: RunConfig) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(config.generator.configJSON.utf8)) as? [String: Any])
    }

    /// Expects `body` to throw one line naming exp.toml; returns the message.
    private func message(_ body: () throws -> Any, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try body()
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch {
            let text = "\(error)"
            XCTAssertTrue(text.contains("exp.toml"), text, file: file, line: line)
            XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
            return text
        }
    }

    func testQuickOverridesMergeTablesAndReplaceValues() throws {
        let extra = """
            [quick.pool]
            size = 500
            [quick.retrain]
            n = [50]
            """
        let full = try plan(extra).points[0].config
        XCTAssertEqual(full.poolSize, 4000)
        XCTAssertEqual(full.retrainSizes, [100, 1000])
        let quick = try plan(extra, quick: true).points[0].config
        XCTAssertEqual(quick.poolSize, 500)
        XCTAssertEqual(quick.chunkSize, 1000, "a key the override does not name stays")
        XCTAssertEqual(quick.retrainSizes, [50], "arrays replace")
        XCTAssertTrue(message { try self.plan("", quick: true) }.contains("--quick needs a [quick] table"))
        XCTAssertTrue(message { try self.plan("[quick.pool]\nsizes = 3", quick: true) }.contains("unknown key \"sizes\""),
                      "overrides are checked like the rest of the config")
    }

    func testSweepIsTheProductOfItsAxesLastPathFastest() throws {
        let sweep = try plan("""
            [sweep]
            "generator.n0" = [200, 1000]
            seed = [1, 2, 3]
            "verifier.noisy.p_noise" = [0.5]
            """)
        XCTAssertTrue(sweep.isSweep)
        XCTAssertEqual(sweep.points.count, 6)
        // Axes sort by path: generator.n0, seed, verifier.noisy.p_noise.
        XCTAssertEqual(sweep.points.map(\.config.seed), [1, 2, 3, 1, 2, 3])
        XCTAssertEqual(try sweep.points.map { try generator($0.config)["n0"] as? Int }, [200, 200, 200, 1000, 1000, 1000])
        XCTAssertEqual(sweep.points[4].label, "generator.n0 = 1000, seed = 2, verifier.noisy.p_noise = 0.5")
        XCTAssertEqual(sweep.points[4].json, #"{"generator.n0":1000,"seed":2,"verifier.noisy.p_noise":0.5}"#)
        let noisy = try XCTUnwrap(sweep.points[0].config.verifiers.first { $0.name == "noisy" })
        XCTAssertEqual(noisy.configJSON, #"{"p_noise":0.5}"#)
        XCTAssertEqual(sweep.points[0].config.verifiers.first?.configJSON, "{}", "other verifiers untouched")
        XCTAssertEqual(sweep.points[0].config.source, sweep.file.source, "every run stores the file as given")
    }

    func testNumbersRenderInTheirShortestForm() {
        XCTAssertEqual(SweepPlan.render(NSNumber(value: 1e-6)), "1e-06")
        XCTAssertEqual(SweepPlan.render(NSNumber(value: 1.0000000000000002e-06)), "1e-06")
        XCTAssertEqual(SweepPlan.render(NSNumber(value: 0.25)), "0.25")
        XCTAssertEqual(SweepPlan.render(NSNumber(value: 200)), "200")
        XCTAssertEqual(SweepPlan.render("sign"), "\"sign\"")
    }

    func testSweepErrorsNameTheFileAndPath() {
        XCTAssertTrue(message { try self.plan("[sweep]\n\"generatr.n0\" = [1]") }.contains("no table \"generatr\""))
        XCTAssertTrue(message { try self.plan("[sweep]\n\"verifier.nope.p_noise\" = [1]") }
            .contains("no verifier named \"nope\"; known: oracle, noisy"))
        XCTAssertTrue(message { try self.plan("[sweep]\nseed = []") }.contains("non-empty array"))
        XCTAssertTrue(message { try self.plan("[sweep]\nseed = 3") }.contains("non-empty array"))
        XCTAssertTrue(message { try RunConfig.parse(self.base + "\n[sweep]\nseed = [1, 2]", path: "exp.toml") }
            .contains("[sweep] makes this config 2 runs; use `assay run` on it"))
    }

    func testReportClaims() throws {
        // The host keeps the names; AssayStudies' ClaimRegistry knows them
        // (ClaimRegistryTests checks an unknown one).
        XCTAssertEqual(try plan("[report]\nclaims = [\"figure3\", \"figure9\"]").file.claims, ["figure3", "figure9"])
        XCTAssertEqual(try plan("").file.claims, [])
        XCTAssertTrue(message { try self.plan("[report]\nclaims = \"figure3\"") }.contains("must be an array of claim names"))
        XCTAssertTrue(message { try self.plan("[report]\nclaim = []") }.contains("unknown key \"claim\""))
    }

    func testRoundsKey() throws {
        XCTAssertEqual(try plan("").points[0].config.rounds, 1)
        let text = base.replacingOccurrences(of: "n = [100, 1000]", with: "n = [100, 1000]\nrounds = 4")
        XCTAssertEqual(try RunConfig.parse(text, path: "exp.toml").rounds, 4)
        XCTAssertTrue(message { try RunConfig.parse(text.replacingOccurrences(of: "rounds = 4", with: "rounds = 0"), path: "exp.toml") }
            .contains("\"rounds\" must be an integer in [1, 100]"))
    }
}
