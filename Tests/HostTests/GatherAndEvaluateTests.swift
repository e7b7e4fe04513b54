@testable import AssayHost
import AssayTestSupport
import XCTest

/// The pool pass's gathered training sets (copied by its workers, in any
/// order) and the one-pass evaluation of several models, each against the
/// plain way of getting the same thing.
final class GatherAndEvaluateTests: XCTestCase {
    /// The fixture task with 20 columns of x (only the first decides the
    /// label), its generator wrong on x₀ in (0.5, 0.6].
    private func fixtureLine(threads: Int) throws -> (GeneratorInstance, PluginCatalog) {
        let catalog = PluginCatalog()
        catalog.scan(folder: try FixturePlugins.folder(), matching: { $0.hasSuffix(".so") })
        let info = try catalog.plugin("fixture-line", kind: .generator, for: "[generator]")
        let generator = try GeneratorInstance(info: info, configJSON: #"{"width": 20}"#, threads: threads)
        try withRandom(seed: 5, .generatorPrepare) { try generator.prepare(rng: $0) }
        return (generator, catalog)
    }

    func testGatheredPairsAreThoseOfTheKeptRows() throws {
        let (generator, catalog) = try fixtureLine(threads: 2)
        let oracle = try VerifierInstance(info: catalog.plugin("keep-correct", kind: .verifier, for: "oracle"), name: "oracle",
                                          configJSON: "{}", generator: generator)
        try withRandom(seed: 5, .verifierPrepare("oracle")) { try oracle.prepare(task: generator, rng: $0) }
        let source = PoolSource(generator: generator, layout: ChunkLayout(poolSize: 20_000, chunkSize: 700), seed: 5)
        let pass = PoolPass(source: source, threads: 2, verifiers: [oracle], cuts: [:], capacity: 6000, progress: nil)
        XCTAssertTrue(pass.gathering)
        let outcome = try pass.run()

        for kept in [outcome.verifierKept[0], outcome.unfilteredKept] {
            XCTAssertEqual(kept.count, 6000)
            let gathered = try XCTUnwrap(kept.pairs)
            let regenerated = try TrainingSet(rows: kept.rows, source: source, threads: 1)
            XCTAssertEqual(Array(gathered.x.prefix(6000 * 20)), Array(regenerated.x))
            XCTAssertEqual(Array(gathered.y(.synthesized).prefix(6000)), Array(regenerated.y(.synthesized)))
            XCTAssertEqual(Array(gathered.y(.truth).prefix(6000)), Array(regenerated.y(.truth)))
        }
        // Unfiltered, slot i is pool row i.
        let first = try PoolChunk(index: 0, source: source)
        let unfiltered = try XCTUnwrap(outcome.unfilteredKept.pairs)
        XCTAssertEqual(Array(unfiltered.x.prefix(700 * 20)), first.x)
        XCTAssertEqual(Array(unfiltered.y(.truth).prefix(700)), first.yTrue)
        // keep-correct, like the oracle, keeps exactly the pairs whose y' is the truth.
        let oraclePairs = try XCTUnwrap(outcome.verifierKept[0].pairs)
        XCTAssertEqual(Array(oraclePairs.y(.synthesized).prefix(6000)), Array(oraclePairs.y(.truth).prefix(6000)))
        XCTAssertNotEqual(outcome.verifierKept[0].rows, outcome.unfilteredKept.rows)
    }

    func testOnePassScoresEqualOneModelAtATimeOnAnyThreadCount() throws {
        let (generator, _) = try fixtureLine(threads: 2)
        // A test set of several blocks, the last one partial.
        let rows = 3 * generator.batchRows + 17
        var scores: [[Evaluation.Score]] = []
        for threads in [1, 2] {
            let evaluation = try Evaluation(generator: generator, testSize: rows, chunkSize: 1000, seed: 9, threads: threads)
            XCTAssertTrue(evaluation.hasBayes)
            let models = ["generator", "bayes"]
            let together = try evaluation.evaluate(models: models)
            let apart = try models.map { try evaluation.evaluate(model: $0) }
            for (a, b) in zip(together, apart) {
                XCTAssertEqual(a.accuracy, b.accuracy)
                XCTAssertEqual(a.agreement, b.agreement)
            }
            scores.append(together)
        }
        for (a, b) in zip(scores[0], scores[1]) {
            XCTAssertEqual(a.accuracy, b.accuracy)
            XCTAssertEqual(a.agreement, b.agreement)
        }
        // The Bayes predictor (x₀ > 0.5) is right and agrees with itself on
        // every row; the generator is wrong on x₀ in (0.5, 0.6], about 10 %
        // of the rows (binomial standard error √(0.09/rows) < 0.004).
        XCTAssertEqual(scores[0][1].agreement, 1)
        XCTAssertEqual(scores[0][1].accuracy, 1)
        XCTAssertEqual(scores[0][0].accuracy, 0.9, accuracy: 0.02)
        XCTAssertEqual(try XCTUnwrap(scores[0][0].agreement), scores[0][0].accuracy, "Bayes is the truth here")
    }
}
