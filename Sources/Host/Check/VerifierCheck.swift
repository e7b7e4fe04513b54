import Foundation
import PluginAPI

/// The rules on a verifier: create and its config, prepare and selection,
/// then verify on the check pool's batches, again for determinism, from
/// several threads at once, and on a one-row batch.
struct VerifierCheck {
    /// Threads of the concurrency rule; each judges every batch.
    static let threads = 4

    let info: PluginInfo
    let configJSON: String
    let pool: CheckPool
    let threads: Int
    let book: RuleBook

    /// A verify call's outputs: keep bytes, or scores as bit patterns (so
    /// that "the same" means the same bits, NaN included).
    enum Verdicts: Equatable {
        case keep([UInt8])
        case scores([UInt64])
    }

    func run() {
        DescriptorRules(info: info, book: book).check()
        let config = ConfigRules(info: info, configJSON: configJSON, generator: pool.generator, threads: threads, book: book)
        config.checkRefusals()
        guard let instance = config.createInstance() else { return }
        defer { book.watchingStdout("destroy") { instance.destroy() } }
        let calls = info.table.pointee.verifier.pointee
        guard let mode = book.watchingStdout("prepare and selection", { prepare(instance, calls) }) else { return }

        let what = mode == .rule ? "RULE" : "TOP_FRACTION"
        let serial = book.watchingStdout("verify") {
            pool.chunks.indices.map { verify(instance, calls, mode: mode, chunk: $0) }
        }
        var judged: [Verdicts] = []
        for (index, outcome) in serial.enumerated() {
            guard let verdicts = outcome else { return }
            checkOutputs(verdicts, firstRow: pool.chunks[index].firstRow, mode: what)
            judged.append(verdicts)
        }

        // In the reverse order: the header allows any order, and an answer
        // that depends on the calls before it shows.
        let again = book.watchingStdout("verify") {
            pool.chunks.indices.reversed().map { verify(instance, calls, mode: mode, chunk: $0) }.reversed()
        }
        for (index, outcome) in again.enumerated() {
            guard let verdicts = outcome else { return }
            book.check(.verifyDeterministic, verdicts == judged[index],
                       "batch \(index) judged twice on the same stream: \(difference(verdicts, judged[index])) (expected the same bits)")
        }

        if book.failed(.verifyDeterministic) {
            book.skip(.verifyConcurrent, "verify is not deterministic even serially (verify-deterministic)")
        } else {
            checkConcurrency(instance, calls, mode: mode, serial: judged)
        }

        let single = book.watchingStdout("verify") {
            verify(instance, calls, mode: mode, chunk: 0, rows: 0..<1, rule: .oneRowBatch)
        }
        if let single {
            checkOutputs(single, firstRow: 0, mode: what)
            book.check(.oneRowBatch, true, "")
        }
    }

    /// Prepares the instance for the pool generator's task and reads its
    /// selection twice; nil when the check cannot go on.
    private func prepare(_ instance: CheckedInstance, _ calls: assay_verifier) -> VerifierInstance.Mode? {
        let generator = pool.generator
        let (status, message) = generator.info.id.withCString { id in
            var task = assay_task(struct_size: UInt32(MemoryLayout<assay_task>.size), reserved: 0,
                                  x_cols: UInt64(generator.xCols), y_cols: UInt64(generator.yCols), generator_id: id)
            return withRandom(seed: pool.seed, .verifierPrepare(info.id)) { rng in
                book.call("prepare") { calls.prepare(instance.raw, &task, rng, $0) }
            }
        }
        guard status == ASSAY_OK else {
            book.fail(.prepare, "prepare on the \(generator.info.id) task (\(generator.xCols) x, \(generator.yCols) y columns) failed: \(statusName(status)): \(message) (expected ASSAY_OK; choose the task with --generator)")
            return nil
        }
        book.check(.prepare, true, "")

        var answers: [assay_selection] = []
        for _ in 0..<2 {
            var selection = assay_selection()
            let (status, message) = book.call("selection") { calls.selection(instance.raw, &selection, $0) }
            guard status == ASSAY_OK else {
                book.fail(.selectionValid, "selection failed: \(statusName(status)): \(message) (expected ASSAY_OK after prepare)")
                return nil
            }
            answers.append(selection)
        }
        let (first, second) = (answers[0], answers[1])
        book.check(.selectionConstant, first.mode == second.mode && first.fraction.bitPattern == second.fraction.bitPattern,
                   "selection said mode \(first.mode), fraction \(first.fraction), then mode \(second.mode), fraction \(second.fraction) (expected the same answer)")
        book.check(.reservedZero, first.reserved == 0, "assay_selection.reserved is \(first.reserved) (expected 0)")
        switch Int(first.mode) {
        case ASSAY_SELECT_RULE:
            book.check(.selectionValid, first.fraction == 1, "RULE mode with fraction \(first.fraction) (expected 1: ignored, write 1)")
            return .rule
        case ASSAY_SELECT_TOP_FRACTION:
            book.check(.selectionValid, first.fraction > 0 && first.fraction <= 1,
                       "TOP_FRACTION with fraction \(first.fraction) (expected a fraction in (0, 1])")
            return .topFraction(first.fraction)
        default:
            book.fail(.selectionValid, "mode \(first.mode) (expected ASSAY_SELECT_RULE = 1 or ASSAY_SELECT_TOP_FRACTION = 2)")
            return nil
        }
    }

    /// One verify call on rows of a chunk, on the chunk's verify stream,
    /// with outputs marked beforehand; nil (and `rule` failed) if it failed.
    private func verify(_ instance: CheckedInstance, _ calls: assay_verifier, mode: VerifierInstance.Mode,
                        chunk index: Int, rows: Range<Int>? = nil, rule: CheckRule = .verifyRuns) -> Verdicts? {
        let count = rows?.count ?? pool.chunks[index].rows
        var keep = [UInt8](repeating: OutputMarks.byte, count: mode == .rule ? count : 0)
        var score = [Double](repeating: OutputMarks.double, count: mode == .rule ? 0 : count)
        let stream = OpenStream(seed: pool.seed, .verify(info.id, chunk: index))
        let (status, message) = pool.presenting(chunk: index, rows: rows) { batch in
            keep.withUnsafeMutableBufferPointer { keep in
                score.withUnsafeMutableBufferPointer { score in
                    book.call("verify") { error in
                        calls.verify(instance.raw, batch, stream.random, mode == .rule ? keep.baseAddress : nil,
                                     mode == .rule ? nil : score.baseAddress, error)
                    }
                }
            }
        }
        withExtendedLifetime(stream) {}
        guard status == ASSAY_OK else {
            let first = pool.chunks[index].firstRow + (rows?.lowerBound ?? 0)
            book.fail(rule, "verify on \(count) row\(count == 1 ? "" : "s") from pool row \(first) failed: \(statusName(status)): \(message) (expected ASSAY_OK)")
            return nil
        }
        book.check(rule, true, "")
        return mode == .rule ? .keep(keep) : .scores(score.map(\.bitPattern))
    }

    private func checkOutputs(_ verdicts: Verdicts, firstRow: Int, mode: String) {
        switch verdicts {
        case .keep(let keep):
            let bad = keep.firstIndex { $0 > 1 }
            book.check(.keepBits, bad == nil, {
                let value = keep[bad ?? 0]
                let unwritten = value == OutputMarks.byte ? " (0x\(String(value, radix: 16)), the check's mark: left unwritten?)" : ""
                return "keep value \(value)\(unwritten) at pool row \(firstRow + (bad ?? 0)) (expected 0 or 1)"
            }())
        case .scores(let bits):
            let bad = bits.firstIndex { !Double(bitPattern: $0).isFinite }
            book.check(.scoresFinite, bad == nil, {
                let value = bits[bad ?? 0]
                let unwritten = value == OutputMarks.double.bitPattern ? " (the check's mark: left unwritten?)" : ""
                return "score \(Double(bitPattern: value))\(unwritten) at pool row \(firstRow + (bad ?? 0)) in \(mode) mode (expected a finite number)"
            }())
        }
    }

    /// Every thread judges every batch (each from another batch on), and
    /// every answer must be the serial one.
    private func checkConcurrency(_ instance: CheckedInstance, _ calls: assay_verifier, mode: VerifierInstance.Mode,
                                  serial: [Verdicts]) {
        let lock = NSLock()
        var answers: [(Int, Verdicts?)] = []
        let chunks = pool.chunks.count
        book.watchingStdout("verify from \(Self.threads) threads") {
            onThreads(Self.threads) { thread in
                for step in 0..<chunks {
                    let index = (thread + step) % chunks
                    let verdicts = verify(instance, calls, mode: mode, chunk: index, rule: .verifyConcurrent)
                    lock.withLock { answers.append((index, verdicts)) }
                }
            }
        }
        for (index, verdicts) in answers {
            guard let verdicts else { continue }
            book.check(.verifyConcurrent, verdicts == serial[index],
                       "batch \(index) judged while \(Self.threads - 1) other threads verified: \(difference(verdicts, serial[index])) (expected the serial call's bits)")
        }
    }

    /// "n of m outputs differ, first at row i".
    private func difference(_ a: Verdicts, _ b: Verdicts) -> String {
        let pairs: [(UInt64, UInt64)]
        switch (a, b) {
        case (.keep(let x), .keep(let y)): pairs = zip(x, y).map { (UInt64($0), UInt64($1)) }
        case (.scores(let x), .scores(let y)): pairs = Array(zip(x, y))
        default: return "different modes"
        }
        let differing = pairs.indices.filter { pairs[$0].0 != pairs[$0].1 }
        return "\(differing.count) of \(pairs.count) outputs differ, first at row \(differing.first ?? 0) of the batch"
    }
}
