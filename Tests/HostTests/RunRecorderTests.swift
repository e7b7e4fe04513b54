@testable import AssayHost
import AssayTestSupport
import Foundation
import XCTest

/// A run tells its recorder everything it measures, through one path: what
/// the recorder is told is what the result holds, a run with rounds
/// included, whether the recorder is the store or another.
final class RunRecorderTests: XCTestCase {
    /// Keeps what it is told, in order.
    private final class MemoryRecorder: RunRecorder {
        var events: [String] = []
        var scores: [String: SelectionScore] = [:]
        var points: [String: [CurvePoint]] = [:]
        var rounds: [RoundPoint] = []
        var generator: GeneratorSummary?
        var finished: ExperimentResult?

        var runID: Int64? { nil }
        func runStarted(config: RunConfig, plugins: [ResultsStore.PluginRecord], sweep: ResultsStore.SweepMembership?) {
            events.append("started \(plugins.map(\.role).joined(separator: ","))")
        }
        func measured(selection: String, plugin: String, score: SelectionScore) {
            events.append("score"); scores[selection] = score
        }
        func measured(generator: GeneratorSummary, bayesAccuracy: Double?) {
            events.append("generator"); self.generator = generator
        }
        func retrained(selection: String, point: CurvePoint) {
            events.append("point"); points[selection, default: []].append(point)
        }
        func measured(round: RoundPoint) {
            events.append("round"); rounds.append(round)
        }
        func runFinished(_ result: ExperimentResult) {
            events.append("finished"); finished = result
        }
        func runFailed(_ error: Error) {
            events.append("failed")
        }
    }

    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        try requireBuild()
        scratch = try TemporaryFolder("assay-recorder")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    private func config() throws -> RunConfig {
        let text = smallConfig(seed: 5, pool: 3000, chunk: 1000, test: 1000, retrain: [50, 200], verifiers: """
            [[verifier]]
            name = "oracle"
            plugin = "oracle"
            """).replacingOccurrences(of: "n = [50, 200]", with: "n = [50, 200]\nrounds = 2")
        return try RunConfig.parse(text, path: try scratch.write("recorder.toml", text))
    }

    private func catalog() -> PluginCatalog {
        let catalog = PluginCatalog()
        catalog.scan(folder: Paths.buildFolder, matching: { Paths.pluginLibraries.contains($0) })
        return catalog
    }

    func testTheRecorderIsToldWhatTheResultHolds() throws {
        let recorder = MemoryRecorder()
        let result = try Experiment(config: try config(), catalog: catalog(), recorder: recorder, showProgress: false).run()
        XCTAssertNil(result.runID, "a recorder without ids gives the result none")
        XCTAssertEqual(recorder.events.first, "started generator,oracle")
        XCTAssertEqual(recorder.events.last, "finished")
        XCTAssertEqual(recorder.finished, result)
        XCTAssertEqual(recorder.generator, result.generator)
        for selection in result.verifiers + result.baselines {
            XCTAssertEqual(recorder.scores[selection.name], selection.score, selection.name)
            XCTAssertEqual(recorder.points[selection.name]?.sorted { $0.n < $1.n }, selection.curve, selection.name)
        }
        XCTAssertEqual(recorder.scores.count, 2, "oracle and random are scored; clean has no score")
        // Round 1 of oracle and random, then round 2 of each, each told once.
        XCTAssertEqual(recorder.rounds, result.rounds)
        XCTAssertEqual(result.rounds?.map(\.round), [1, 1, 2, 2])
        XCTAssertEqual(recorder.events.filter { $0 == "point" }.count, 3 * 2, "round 2's fits are rounds, not curve points")
    }

    func testTheStoreRecordsTheSameRun() throws {
        let store = try ResultsStore(path: scratch.file("r.sqlite"))
        let result = try Experiment(config: try config(), catalog: catalog(), store: store, showProgress: false).run()
        let stored = try XCTUnwrap(try store.run(id: XCTUnwrap(result.runID)))
        XCTAssertEqual(stored.summary.status, "completed")
        XCTAssertEqual(try stored.result?.json(), try result.json())
        for selection in result.verifiers + result.baselines {
            XCTAssertEqual(stored.scores.first { $0.selection == selection.name }?.score, selection.score, selection.name)
            XCTAssertEqual(stored.points.filter { $0.selection == selection.name }.map(\.point), selection.curve, selection.name)
        }
        let metrics = Dictionary(uniqueKeysWithValues: stored.metrics.map { ($0.name, $0.value) })
        XCTAssertEqual(metrics["generator_accuracy"], result.generator.accuracy)
        XCTAssertEqual(metrics["generator_p"], result.generator.p)
        XCTAssertEqual(metrics["bayes_accuracy"], result.bayesAccuracy)
    }
}
