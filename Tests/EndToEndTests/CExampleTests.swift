@testable import AssayHost
import AssayTestSupport
import Foundation
import XCTest

/// examples/c-verifier: its Makefile builds a plugin from plain C, the host
/// loads it by path from a run config, and its ϕ and ψ are what its rule
/// (keep when y'·x[0] > 0) gives on the pool, recomputed here in Swift.
final class CExampleTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-c-example")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    /// Builds the example with its own Makefile, from a copy of the folder
    /// (so the checkout is untouched), warnings as errors.
    private func buildExample() throws -> String {
        let copy = scratch.file("c-verifier")
        try FileManager.default.copyItem(atPath: Paths.root + "/examples/c-verifier", toPath: copy)
        try? FileManager.default.removeItem(atPath: copy + "/libc_sign.so")
        let make = try runProcess("/usr/bin/env", ["make", "-C", copy, "INCLUDE=\(Paths.include)", "CFLAGS=-Werror"])
        XCTAssertEqual(make.status, 0, "make failed:\n\(make.stdout)\n\(make.stderr)")
        let library = copy + "/libc_sign.so"
        XCTAssertTrue(FileManager.default.fileExists(atPath: library), "make did not produce \(library)")
        return library
    }

    private func config(library: String, seed: Int = 5) -> String {
        smallConfig(seed: seed, pool: 30_000, chunk: 4096, test: 5000, retrain: [100, 1000], verifiers: """
            [[verifier]]
            name = "oracle"
            plugin = "oracle"

            [[verifier]]
            name = "sign-x0"
            plugin = "c-sign"
            library = "\(library)"
            coordinate = 0
            """)
    }

    func testMakefileBuildsALoadablePlugin() throws {
        let library = try buildExample()
        let handle = try PluginCatalog().load(file: library)
        XCTAssertEqual(handle.abiMajor, 1)
        let plugin = try XCTUnwrap(handle.plugins.first)
        XCTAssertEqual(handle.plugins.count, 1)
        XCTAssertEqual(plugin.id, "c-sign")
        XCTAssertEqual(plugin.kind, .verifier)
        XCTAssertEqual(plugin.version, "1.0.0")
        XCTAssertEqual(plugin.parameters.map(\.name), ["coordinate", "margin"])
    }

    func testCSignRunsBesideTheOracle() throws {
        let library = try buildExample()
        let text = config(library: library)
        let path = try scratch.write("c-sign.toml", text)
        let result = try assay(["run", path, "--json", "--db", scratch.file("r.sqlite")], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try jsonObject(result.stdout)
        let sign = try XCTUnwrap(entry(document, "sign-x0"), result.stdout)
        XCTAssertEqual(sign["plugin"] as? String, "c-sign")

        let phi = try XCTUnwrap(sign["phi"] as? Double)
        let psi = try XCTUnwrap(sign["psi"] as? Double)
        let pStar = try XCTUnwrap(sign["p_star"] as? Double)
        for value in [phi, psi, pStar] { XCTAssertTrue(value.isFinite) }
        XCTAssertTrue(phi > 0 && phi <= 1, "ϕ = \(phi)")
        XCTAssertTrue(psi > 0 && psi <= 1, "ψ = \(psi)")
        XCTAssertEqual(pStar, 1 / (1 + psi / phi), accuracy: 1e-12)
        // One input coordinate says little about the label: roughly half of
        // the pairs are kept, neither like the oracle (ψ = 0) nor like
        // keeping everything (ϕ = ψ = 1).
        XCTAssertNotEqual(pStar, 1)
        XCTAssertNotEqual(pStar, 0.5)
        let keptShare = try XCTUnwrap(sign["kept"] as? Double) / 30_000
        XCTAssertTrue(keptShare > 0.2 && keptShare < 0.8, "kept share \(keptShare)")

        let curve = try XCTUnwrap(sign["curve"] as? [[String: Any]])
        XCTAssertEqual(curve.compactMap { $0["n"] as? Int }, [100, 1000])
        for point in curve {
            let accuracy = try XCTUnwrap(point["accuracy"] as? Double)
            XCTAssertTrue(accuracy > 0 && accuracy < 1, "\(point)")
        }

        // The same rule, evaluated here on the same pool.
        let expected = try recomputeSignRule(config: try RunConfig.parse(text, path: path), coordinate: 0)
        XCTAssertEqual(sign["kept"] as? Int, expected.kept)
        XCTAssertEqual(phi, try XCTUnwrap(expected.phi), accuracy: 1e-12)
        XCTAssertEqual(psi, try XCTUnwrap(expected.psi), accuracy: 1e-12)
    }

    func testCSignRejectsACoordinateBeyondX() throws {
        let library = try buildExample()
        let text = config(library: library).replacingOccurrences(of: "coordinate = 0", with: "coordinate = 100")
        let path = try scratch.write("bad.toml", text)
        let result = try assay(["run", path, "--db", scratch.file("r.sqlite")], in: scratch.path)
        XCTAssertNotEqual(result.status, 0)
        let message = lines(result.stderr).joined(separator: "\n")
        XCTAssertEqual(lines(result.stderr).count, 1, message)
        XCTAssertTrue(message.hasPrefix("assay: error: "), message)
        XCTAssertTrue(message.contains("coordinate"), message)
        XCTAssertTrue(message.contains(library), message)
    }

    /// Regenerates the run's pool chunk by chunk with the host's own
    /// generator instance and applies y'·x[coordinate] > 0 in Swift.
    private func recomputeSignRule(config: RunConfig, coordinate: Int) throws -> SelectionScore {
        let catalog = PluginCatalog()
        catalog.scan(folder: Paths.buildFolder, matching: { $0 == "libassay_gaussian_mixture.so" })
        let info = try catalog.plugin(config.generator.plugin, kind: .generator, for: "[generator]")
        let generator = try GeneratorInstance(info: info, configJSON: config.generator.configJSON, threads: config.threads)
        try withRandom(seed: config.seed, .generatorPrepare) { try generator.prepare(rng: $0) }
        let layout = ChunkLayout(poolSize: config.poolSize, chunkSize: config.chunkSize)
        let source = PoolSource(generator: generator, layout: layout, seed: config.seed)
        var tally = Tally()
        for index in 0..<layout.chunkCount {
            let chunk = try PoolChunk(index: index, source: source)
            for row in 0..<chunk.rows {
                let keep = chunk.ySynth[row] * chunk.x[row * generator.xCols + coordinate] > 0
                tally.add(similarity: chunk.similarity[row], keep: keep)
            }
        }
        return SelectionScore(tally)
    }
}
