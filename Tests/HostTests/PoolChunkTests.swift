@testable import AssayHost
import AssayTestSupport
import PluginAPI
import XCTest

/// A pool chunk is made in blocks, each judged before the next is drawn
/// (`PoolChunk`); every array and verdict must be what the same calls on
/// the whole chunk give, each stream continuing across the blocks.
final class PoolChunkTests: XCTestCase {
    /// The fixture task with `d` columns of x, a rule verifier that keeps
    /// some rows and drops others, and a scoring one.
    private func instances(d: Int) throws -> (GeneratorInstance, [VerifierInstance]) {
        let catalog = PluginCatalog()
        catalog.scan(folder: try FixturePlugins.folder(), matching: { $0.hasSuffix(".so") })
        let info = try catalog.plugin("fixture-line", kind: .generator, for: "[generator]")
        let generator = try GeneratorInstance(info: info, configJSON: #"{"width": \#(d)}"#, threads: 1)
        try withRandom(seed: 3, .generatorPrepare) { try generator.prepare(rng: $0) }
        let configs = [("keep-correct", "keep-correct", "{}"), ("top-correct", "top-correct", #"{"fraction": 0.25}"#)]
        let verifiers = try configs.map { name, id, json in
            let verifier = try VerifierInstance(info: catalog.plugin(id, kind: .verifier, for: name), name: name,
                                                configJSON: json, generator: generator)
            try withRandom(seed: 3, .verifierPrepare(name)) { try verifier.prepare(task: generator, rng: $0) }
            return verifier
        }
        return (generator, verifiers)
    }

    func testBlocksOnlyChunksWhoseXOutgrowsL2() throws {
        let (wide, _) = try instances(d: 100)
        XCTAssertEqual(wide.pipelineRows(chunkRows: 8192), wide.batchRows)
        XCTAssertLessThan(wide.batchRows, 1000)
        XCTAssertEqual(wide.pipelineRows(chunkRows: 1000), 1000)  // 800 KB of x
        let (narrow, _) = try instances(d: 15)
        XCTAssertEqual(narrow.pipelineRows(chunkRows: 8192), 8192)  // 983 KB of x
    }

    func testBlockwiseChunkEqualsCallsOnTheWholeChunk() throws {
        let (generator, verifiers) = try instances(d: 100)
        // Three full blocks and a partial one.
        let rows = 3 * generator.batchRows + 101
        let source = PoolSource(generator: generator, layout: ChunkLayout(poolSize: 5 * rows, chunkSize: rows), seed: 8)
        let index = 2, firstRow = 2 * rows
        XCTAssertEqual(generator.pipelineRows(chunkRows: rows), generator.batchRows)
        let chunk = try PoolChunk(index: index, source: source, verifiers: verifiers)

        // The same calls on the whole chunk, each on a fresh stream of its kind.
        func buffer<Element>(_ count: Int, _ zero: Element) -> UnsafeMutableBufferPointer<Element> {
            let buffer = UnsafeMutableBufferPointer<Element>.allocate(capacity: count)
            buffer.initialize(repeating: zero)
            return buffer
        }
        let x = buffer(rows * 100, 0.0), yTrue = buffer(rows, 0.0), ySynth = buffer(rows, 0.0), similarity = buffer(rows, 0.0)
        defer { for b in [x, yTrue, ySynth, similarity] { b.deallocate() } }
        try withRandom(seed: 8, .draw(chunk: index)) { try generator.draw(rng: $0, count: rows, x: x, y: yTrue) }
        try withRandom(seed: 8, .label(chunk: index)) {
            try generator.label(model: "generator", mode: ASSAY_LABEL_SYNTHESIZE, x: UnsafeBufferPointer(x), rows: rows,
                                firstRow: firstRow, rng: $0, into: ySynth)
        }
        try generator.similarity(x: UnsafeBufferPointer(x), y: UnsafeBufferPointer(ySynth), truth: UnsafeBufferPointer(yTrue),
                                 rows: rows, firstRow: firstRow, into: similarity)
        XCTAssertEqual(chunk.x, Array(x))
        XCTAssertEqual(chunk.yTrue, Array(yTrue))
        XCTAssertEqual(chunk.ySynth, Array(ySynth))
        XCTAssertEqual(chunk.similarity, Array(similarity))

        XCTAssertEqual(chunk.verdicts.count, verifiers.count)
        let truth = ChunkTruth(yTrue: UnsafeBufferPointer(yTrue), similarity: UnsafeBufferPointer(similarity))
        for (verifier, verdict) in zip(verifiers, chunk.verdicts) {
            try withBatch(rows: rows, firstRow: firstRow, x: UnsafeBufferPointer(x), xCols: 100, y: UnsafeBufferPointer(ySynth),
                          yCols: 1, truth: truth) { batch in
                try withRandom(seed: 8, .verify(verifier.name, chunk: index)) { rng in
                    switch verdict {
                    case .keep(let bits):
                        var whole = [UInt8](repeating: 0, count: rows)
                        try whole.withUnsafeMutableBufferPointer { try verifier.keep(batch: batch, rng: rng, into: $0) }
                        XCTAssertEqual(bits, whole, verifier.name)
                        XCTAssertTrue(bits.contains(0) && bits.contains(1), verifier.name)
                    case .scores(let scores):
                        XCTAssertEqual(verifier.name, "top-correct")
                        var whole = [Double](repeating: 0, count: rows)
                        try whole.withUnsafeMutableBufferPointer { try verifier.score(batch: batch, rng: rng, into: $0) }
                        XCTAssertEqual(scores, whole)
                        XCTAssertEqual(Set(scores), [0, 1])
                    }
                }
            }
        }
    }
}
