@testable import AssayHost
import AssayTestSupport
import Foundation
import XCTest

/// The retraining step, checked against a recomputation in the test: each
/// curve point of `assay run` must be the accuracy of a model fitted on the
/// first n' pairs its selection kept, in pool order (the fixture
/// keep-correct, named "oracle": the pairs with y' = y; "random": the first
/// n' pairs; "clean": the same with their true labels), on the fixture task.
final class RetrainTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-retrain")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    func testCurvesAreFitsOnTheFirstKeptPairs() throws {
        let text = try FixturePlugins.config(seed: 13, pool: 20_000, chunk: 3000, test: 5000, retrain: [150, 2000, 9000],
                                             verifiers: FixturePlugins.verifier("oracle", "keep-correct"))
        let path = try scratch.write("retrain.toml", text)
        let result = try assay(["run", path, "--json", "--db", scratch.file("r.sqlite")], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try jsonObject(result.stdout)
        let config = try RunConfig.parse(text, path: path)

        // The pool again, chunk by chunk, with the host's generator.
        let catalog = PluginCatalog()
        try catalog.load(file: FixturePlugins.library("fixture-line"))
        let info = try catalog.plugin("fixture-line", kind: .generator, for: "[generator]")
        let generator = try GeneratorInstance(info: info, configJSON: config.generator.configJSON, threads: config.threads)
        try withRandom(seed: config.seed, .generatorPrepare) { try generator.prepare(rng: $0) }
        let d = generator.xCols
        XCTAssertEqual(generator.yCols, 1)
        let layout = ChunkLayout(poolSize: config.poolSize, chunkSize: config.chunkSize)
        let source = PoolSource(generator: generator, layout: layout, seed: config.seed)
        var oracle: (x: [Double], y: [Double]) = ([], [])
        var first: (x: [Double], ySynth: [Double], yTrue: [Double]) = ([], [], [])
        let largest = config.retrainSizes.last!
        for index in 0..<layout.chunkCount {
            let chunk = try PoolChunk(index: index, source: source)
            for row in 0..<chunk.rows {
                let x = chunk.x[row * d..<(row + 1) * d]
                if first.ySynth.count < largest {
                    first.x.append(contentsOf: x)
                    first.ySynth.append(chunk.ySynth[row])
                    first.yTrue.append(chunk.yTrue[row])
                }
                if chunk.similarity[row] >= 1, oracle.y.count < largest {
                    oracle.x.append(contentsOf: x)
                    oracle.y.append(chunk.ySynth[row])
                }
            }
        }
        XCTAssertEqual(oracle.y.count, largest)

        // One thread, where the run used all: the test set must not depend on it.
        let evaluation = try Evaluation(generator: generator, testSize: config.testSize,
                                        chunkSize: config.chunkSize, seed: config.seed, threads: 1)
        func accuracy(_ name: String, x: [Double], y: [Double], n: Int) throws -> Double {
            let model = "retrain/\(name)/\(n)"
            try x.withUnsafeBufferPointer { x in
                try y.withUnsafeBufferPointer { y in try generator.fit(model: model, x: x, y: y, rows: n) }
            }
            defer { generator.forget(model: model) }
            return try evaluation.evaluate(model: model).accuracy
        }

        let cases: [(name: String, list: String, x: [Double], y: [Double])] = [
            ("oracle", "verifiers", oracle.x, oracle.y),
            ("random", "baselines", first.x, first.ySynth),
            ("clean", "baselines", first.x, first.yTrue),
        ]
        for (name, list, x, y) in cases {
            let selection = try XCTUnwrap(entry(document, name, in: list), name)
            let curve = try XCTUnwrap(selection["curve"] as? [[String: Any]], name)
            XCTAssertEqual(curve.compactMap { $0["n"] as? Int }, config.retrainSizes, name)
            for point in curve {
                let n = try XCTUnwrap(point["n"] as? Int)
                let reported = try XCTUnwrap(point["accuracy"] as? Double)
                // One test point is 1/5000 = 0.0002: allow one flip from
                // floating-point differences in the fit (BLAS threading).
                XCTAssertEqual(reported, try accuracy(name, x: x, y: y, n: n), accuracy: 0.00025, "\(name) at n' = \(n)")
            }
        }
    }
}
