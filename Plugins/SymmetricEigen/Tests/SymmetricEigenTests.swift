import Dispatch
import Foundation
import PluginAPI
import PluginTestSupport
import XCTest

/// The symmetric-eigen generator through its C table: its truth, its
/// similarity on hand-worked cases, its likelihood and sampling, fit, and
/// its config errors.
final class SymmetricEigenTests: XCTestCase {
    /// A generator too small to be accurate but quick to prepare in a debug build.
    static let tinyConfig = #"{"n0": 64, "hidden": [8], "epochs": 2, "batch": 32, "tau": 0.25}"#

    private func prepared(_ json: String = tinyConfig, seed: UInt64 = 1) throws -> GeneratorHarness {
        let generator = try GeneratorHarness(library: "libassay_symmetric_eigen.so", id: "symmetric-eigen", config: json)
        try generator.prepare(seed: seed)
        XCTAssertEqual(generator.xCols, 15)
        XCTAssertEqual(generator.yCols, 5)
        return generator
    }

    private func draw(_ generator: GeneratorHarness, rows: Int, chunk: Int = 0) throws -> (x: [Double], y: [Double]) {
        try generator.draw(rows: rows, seed: 9, keys: [1, UInt64(chunk)])
    }

    private func label(_ generator: GeneratorHarness, model: String = "generator", mode: Int, x: [Double],
                       stream: Int = 0) throws -> [Double] {
        try generator.label(model: model, mode: mode, x: x, seed: 9, keys: [2, UInt64(stream)])
    }

    private func similarity(_ generator: GeneratorHarness, _ y: [Double], truth: [Double]) throws -> [Double] {
        try generator.similarity(x: [Double](repeating: 1, count: y.count / 5 * 15), y: y, truth: truth)
    }

    private func logLikelihood(_ generator: GeneratorHarness, model: String = "generator", x: [Double], y: [Double]) throws -> [Double] {
        try generator.logLikelihood(model: model, x: x, y: y)
    }

    // MARK: Truth

    /// The 5×5 matrix of one row's 15 upper-triangle entries.
    private func matrix(_ x: [Double], row: Int) -> [[Double]] {
        var a = [[Double]](repeating: [Double](repeating: 0, count: 5), count: 5)
        var k = row * 15
        for i in 0..<5 {
            for j in i..<5 {
                a[i][j] = x[k]
                a[j][i] = x[k]
                k += 1
            }
        }
        return a
    }

    private func product(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        (0..<5).map { i in (0..<5).map { j in (0..<5).reduce(0.0) { $0 + a[i][$1] * b[$1][j] } } }
    }

    /// Σλᵢᵏ = trace(Aᵏ) for k = 1…5: by Newton's identities the five power
    /// sums fix the five eigenvalues, so this checks the truth completely
    /// without LAPACK.
    func testTruthIsTheSpectrumByPowerSums() throws {
        let generator = try prepared()
        let (x, y) = try draw(generator, rows: 300)
        for row in 0..<300 {
            let a = matrix(x, row: row)
            let lambda = Array(y[row * 5..<(row + 1) * 5])
            XCTAssertEqual(lambda, lambda.sorted(), "row \(row): eigenvalues must be ascending")
            var power = a
            for k in 1...5 {
                let trace = (0..<5).reduce(0.0) { $0 + power[$1][$1] }
                let sum = lambda.reduce(0.0) { $0 + pow($1, Double(k)) }
                XCTAssertEqual(sum, trace, accuracy: 1e-9 * max(1, abs(trace)), "row \(row), k = \(k)")
                power = product(power, a)
            }
        }
    }

    func testEntriesAreUniformOnTheBoxWithThreeSignificantDigits() throws {
        let generator = try prepared()
        let (x, _) = try draw(generator, rows: 2000)
        for value in x {
            XCTAssertTrue(abs(value) <= 10, "\(value) outside [−10, 10]")
            // Three significant digits survive a round trip through %.2e.
            XCTAssertEqual(Double(String(format: "%.2e", value)), value, "\(value) has more than three significant digits")
        }
        let mean = x.reduce(0, +) / Double(x.count)
        let variance = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
        XCTAssertEqual(mean, 0, accuracy: 0.2)
        XCTAssertEqual(variance, 100.0 / 3, accuracy: 1.5)   // U[−10, 10]: 20²/12
    }

    // MARK: Similarity

    /// v = (1, −2, 3, −4, 6): Σ|v| = 16 and, with τ = 0.25, τ·Σ|v| = 4, all
    /// exact in binary, so the boundary is tested exactly.
    private let truth = [1.0, -2, 3, -4, 6]

    private func shifted(_ deltas: [Double]) -> [Double] { zip(truth, deltas).map { $0 + $1 } }

    func testThresholdSimilarityByHand() throws {
        let generator = try prepared()
        let cases: [(prediction: [Double], truth: [Double], expected: Double, why: String)] = [
            (truth, truth, 1, "exact"),
            (shifted([2, 0, 0, 0, 1.5]), truth, 1, "distance 3.5 < 4"),
            (shifted([2, 0, 0, 0, 2]), truth, 0, "distance 4 = τ·Σ|v|: the paper's inequality is strict"),
            (shifted([0, -1, 1, -1, 1.5]), truth, 0, "distance 4.5 > 4"),
            ([0, 0, 0, 0, 0], [0, 0, 0, 0, 0], 1, "exact zero spectrum"),
            ([0, 0, 0.5, 0, 0], [0, 0, 0, 0, 0], 0, "any error on a zero spectrum"),
        ]
        let s = try similarity(generator, cases.flatMap(\.prediction), truth: cases.flatMap(\.truth))
        for (index, item) in cases.enumerated() {
            XCTAssertEqual(s[index], item.expected, item.why)
        }
    }

    func testContinuousSimilarityByHand() throws {
        let generator = try prepared(#"{"n0": 64, "hidden": [8], "epochs": 1, "tau": 0.25, "similarity": "continuous"}"#)
        // s = max(0, 1 − e/(2τ)) = max(0, 1 − e/0.5), e = distance / 16.
        let cases: [(prediction: [Double], truth: [Double], expected: Double, why: String)] = [
            (truth, truth, 1, "exact"),
            (shifted([2, 0, 0, 0, 0]), truth, 0.75, "e = 0.125"),
            (shifted([2, 0, 0, 0, 2]), truth, 0.5, "e = τ: one half, where the threshold rule flips"),
            (shifted([4, 0, 0, 0, 4]), truth, 0, "e = 2τ"),
            (shifted([5, 0, 0, 0, 5]), truth, 0, "e > 2τ is clipped at 0"),
            ([0, 0, 0.5, 0, 0], [0, 0, 0, 0, 0], 0, "any error on a zero spectrum"),
        ]
        let s = try similarity(generator, cases.flatMap(\.prediction), truth: cases.flatMap(\.truth))
        for (index, item) in cases.enumerated() {
            XCTAssertEqual(s[index], item.expected, accuracy: 1e-15, item.why)
        }
    }

    // MARK: Models

    func testPredictionIsTheMostLikelyLabelAndSamplesFollowTheStream() throws {
        let generator = try prepared()
        let (x, _) = try draw(generator, rows: 200)
        let mean = try label(generator, mode: Int(ASSAY_LABEL_PREDICT), x: x)
        let sample = try label(generator, mode: Int(ASSAY_LABEL_SYNTHESIZE), x: x, stream: 1)
        XCTAssertEqual(try label(generator, mode: Int(ASSAY_LABEL_SYNTHESIZE), x: x, stream: 1), sample, "same stream, same draw")
        XCTAssertNotEqual(try label(generator, mode: Int(ASSAY_LABEL_SYNTHESIZE), x: x, stream: 2), sample)
        let atMean = try logLikelihood(generator, x: x, y: mean)
        let atSample = try logLikelihood(generator, x: x, y: sample)
        for row in 0..<200 {
            XCTAssertTrue(atMean[row].isFinite && atSample[row].isFinite)
            XCTAssertGreaterThan(atMean[row], atSample[row], "row \(row): a Gaussian is most likely at its mean")
        }
    }

    func testMeanLabelsSynthesizeThePrediction() throws {
        let generator = try prepared(#"{"n0": 64, "hidden": [8], "epochs": 1, "labels": "mean"}"#)
        let (x, _) = try draw(generator, rows: 50)
        XCTAssertEqual(try label(generator, mode: Int(ASSAY_LABEL_SYNTHESIZE), x: x, stream: 3),
                       try label(generator, mode: Int(ASSAY_LABEL_PREDICT), x: x))
    }

    private func fit(_ generator: GeneratorHarness, _ name: String, x: [Double], y: [Double]) throws {
        try generator.fit(model: name, x: x, y: y)
    }

    /// A fit's seed comes from prepare's stream and the model's name alone:
    /// the same name gives the same model, on any thread, in any order.
    func testFitsAreReproducibleByNameAndSafeOnTwoThreads() throws {
        let generator = try prepared()
        let (x, y) = try draw(generator, rows: 256)
        let (probe, _) = try draw(generator, rows: 20, chunk: 1)
        try fit(generator, "a", x: x, y: y)
        let a = try label(generator, model: "a", mode: Int(ASSAY_LABEL_PREDICT), x: probe)
        try fit(generator, "b", x: x, y: y)
        let b = try label(generator, model: "b", mode: Int(ASSAY_LABEL_PREDICT), x: probe)
        XCTAssertNotEqual(a, b, "different names, different initialisations")

        var failures = [Error?](repeating: nil, count: 2)
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { index in
            do { try fit(generator, index == 0 ? "b" : "a", x: x, y: y) } catch { lock.withLock { failures[index] = error } }
        }
        XCTAssertTrue(failures.allSatisfy { $0 == nil }, "\(failures)")
        XCTAssertEqual(try label(generator, model: "a", mode: Int(ASSAY_LABEL_PREDICT), x: probe), a)
        XCTAssertEqual(try label(generator, model: "b", mode: Int(ASSAY_LABEL_PREDICT), x: probe), b)

        generator.forget(model: "a")
        XCTAssertThrowsError(try label(generator, model: "a", mode: Int(ASSAY_LABEL_PREDICT), x: probe)) { error in
            XCTAssertTrue("\(error)".contains("no model named \"a\""), "\(error)")
        }
        XCTAssertThrowsError(try fit(generator, "generator", x: x, y: y)) { error in
            XCTAssertTrue("\(error)".contains("cannot be overwritten"), "\(error)")
        }
    }

    // MARK: Config errors

    private func configError(_ json: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        do {
            _ = try GeneratorHarness(library: "libassay_symmetric_eigen.so", id: "symmetric-eigen", config: json)
        } catch {
            let message = "\(error)"
            XCTAssertFalse(message.contains("\n"), "not one line: \(message)", file: file, line: line)
            return message
        }
        XCTFail("config \(json) was accepted", file: file, line: line)
        return ""
    }

    func testConfigErrorsNameTheFieldAndWhatWasExpected() throws {
        for bad in ["0", "1", "1.5", "-0.01"] {
            let message = try configError(#"{"tau": \#(bad)}"#)
            XCTAssertTrue(message.contains("\"tau\" must be a number in (0, 1)"), message)
        }
        XCTAssertTrue(try configError(#"{"tau": "2%"}"#).contains("\"tau\" must be a finite number"))
        let unknown = try configError(#"{"tua": 0.02}"#)
        XCTAssertTrue(unknown.contains("unknown key \"tua\""), unknown)
        XCTAssertTrue(unknown.contains("tau"), "the message lists the keys expected: \(unknown)")
        XCTAssertTrue(try configError(#"{"similarity": "fuzzy"}"#).contains("\"similarity\" must be one of \"threshold\", \"continuous\""))
        XCTAssertTrue(try configError(#"{"hidden": [64, 0]}"#).contains("\"hidden\""))
        XCTAssertTrue(try configError(#"{"labels": "mean", "temperature": 0.5}"#).contains("\"temperature\" applies only"))
        XCTAssertTrue(try configError(#"{"fit_epochs": 3, "fit_steps": 100}"#).contains("\"fit_epochs\" or \"fit_steps\", not both"))
        XCTAssertTrue(try configError(#"{"n0": 0}"#).contains("\"n0\" must be an integer in [1, 100000000]"))
    }
}
