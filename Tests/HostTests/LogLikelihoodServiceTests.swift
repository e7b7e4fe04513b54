@testable import AssayHost
import AssayTestSupport
import Foundation
import PluginAPI
import XCTest

/// The host's log-likelihood service, on the fixture task (log 0.9 where a
/// model's threshold agrees with the label, log 0.1 elsewhere).
final class LogLikelihoodServiceTests: XCTestCase {
    /// What a verifier calls "generator" is the model that synthesized the
    /// batch: in later rounds, a retrained one.
    func testLogLikelihoodOfGeneratorIsTheBatchSynthesizer() throws {
        let catalog = PluginCatalog()
        try catalog.load(file: FixturePlugins.library("fixture-line"))
        let info = try catalog.plugin("fixture-line", kind: .generator, for: "[generator]")
        let generator = try GeneratorInstance(info: info, configJSON: #"{"width": 10}"#, threads: 2)
        try withRandom(seed: 5, .generatorPrepare) { try generator.prepare(rng: $0) }
        let rows = 400, d = generator.xCols
        var x = [Double](repeating: 0, count: rows * d), y = [Double](repeating: 0, count: rows)
        try x.withUnsafeMutableBufferPointer { x in
            try y.withUnsafeMutableBufferPointer { y in
                try withRandom(seed: 5, .draw(chunk: 0)) { try generator.draw(rng: $0, count: rows, x: x, y: y) }
            }
        }
        // A model unlike the generator (threshold 0.6): one fitted on the
        // pairs labelled x₀ > 0.8, whose threshold is the midpoint of the two
        // labels' mean x₀, about (0.4 + 0.9) / 2 = 0.65.
        let flipped = (0..<rows).map { x[$0 * d] > 0.8 ? 1.0 : 0.0 }
        try x.withUnsafeBufferPointer { x in
            try flipped.withUnsafeBufferPointer { try generator.fit(model: "retrained", x: x, y: $0, rows: rows) }
        }
        let services = HostServicesTable(needs: assay_needs(ASSAY_NEEDS_LOG_LIKELIHOOD),
                                         context: ServiceContext(logger: .init(label: "test"), generator: generator),
                                         threads: 2)
        func likelihood(asking model: String, synthesizer: String?) -> [Double] {
            var out = [Double](repeating: .nan, count: rows)
            let s = [Double](repeating: 1, count: rows)
            x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    s.withUnsafeBufferPointer { s in
                        let truth = synthesizer.map { ChunkTruth(yTrue: y, similarity: s, synthesizer: $0) }
                        withBatch(rows: rows, firstRow: 0, x: x, xCols: d, y: y, yCols: 1, truth: truth) { batch in
                            var error = assay_error()
                            let status = out.withUnsafeMutableBufferPointer { out in
                                model.withCString { services.table.pointee.log_likelihood(services.table, $0, batch, out.baseAddress, &error) }
                            }
                            XCTAssertEqual(Int(status), Int(ASSAY_OK))
                        }
                    }
                }
            }
            return out
        }
        let plain = likelihood(asking: "generator", synthesizer: "generator")
        let aliased = likelihood(asking: "generator", synthesizer: "retrained")
        let direct = likelihood(asking: "retrained", synthesizer: nil)
        XCTAssertEqual(aliased, direct)
        XCTAssertNotEqual(aliased, plain)
        // Hand-computed from the fixture's rule: each value is log 0.9 or
        // log 0.1, by whether the asked model's threshold gives the row's label.
        for row in 0..<rows {
            XCTAssertEqual(plain[row], (x[row * d] > 0.6) == (y[row] == 1) ? log(0.9) : log(0.1), accuracy: 1e-15)
        }
    }
}
