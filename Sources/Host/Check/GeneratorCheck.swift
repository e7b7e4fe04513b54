import Foundation
import PluginAPI

/// The rules on a generator: create and its config, prepare's shape, then
/// draw, label and similarity on a few batches: their shape, finiteness and
/// determinism, from several threads at once, unknown names, one row.
struct GeneratorCheck {
    static let rows = 200
    /// Batches of the concurrency rule; each thread draws and labels all.
    static let batches = 4
    static let threads = 4

    let info: PluginInfo
    let configJSON: String
    let seed: UInt64
    let threads: Int
    let book: RuleBook

    /// Drawn inputs and truth, and the labels of one model and mode, as bits.
    struct Sample: Equatable {
        var x: [UInt64]
        var y: [UInt64]
        var labels: [UInt64] = []
    }

    func run() {
        DescriptorRules(info: info, book: book).check()
        let config = ConfigRules(info: info, configJSON: configJSON, generator: nil, threads: threads, book: book)
        config.checkRefusals()
        guard let instance = config.createInstance() else { return }
        defer { book.watchingStdout("destroy") { instance.destroy() } }
        let calls = info.table.pointee.generator.pointee
        book.watchingStdout("prepare, draw, label and similarity") {
            checkCalls(GeneratorSession(instance: instance, calls: calls, seed: seed, book: book))
        }
    }

    private func checkCalls(_ session: GeneratorSession) {
        guard session.prepare() else { return }
        guard let drawn = session.draw(chunk: 0, count: Self.rows) else { return }
        book.check(.drawDeterministic, session.draw(chunk: 0, count: Self.rows) == drawn,
                   "two draws of \(Self.rows) rows on the same stream differ (expected the same bits)")
        let x = drawn.x.map(Double.init(bitPattern:)), truth = drawn.y.map(Double.init(bitPattern:))

        var synthesized: [Double] = []
        for mode in [ASSAY_LABEL_SYNTHESIZE, ASSAY_LABEL_PREDICT] {
            let name = mode == ASSAY_LABEL_SYNTHESIZE ? "SYNTHESIZE" : "PREDICT"
            guard let labels = session.label(x: x, rows: Self.rows, mode: mode, chunk: 0) else { return }
            book.check(.labelDeterministic, session.label(x: x, rows: Self.rows, mode: mode, chunk: 0) == labels,
                       "labelling the same \(Self.rows) rows twice in \(name) mode on the same stream differs (expected the same bits)")
            if mode == ASSAY_LABEL_SYNTHESIZE {
                synthesized = labels.map(Double.init(bitPattern:))
                session.checkSimilarity(x: x, labels: synthesized, truth: truth, rows: Self.rows)
            }
        }
        checkLogLikelihood(session, x: x, y: synthesized)
        checkFit(session, x: x, y: truth)

        let (status, _) = session.label(x: x, rows: Self.rows, model: "assay-check-no-such-model")
        book.check(.unknownModelNotFound, status == ASSAY_ERROR_NOT_FOUND,
                   "label with model \"assay-check-no-such-model\" returned \(statusName(status)) (expected ASSAY_ERROR_NOT_FOUND)")
        var vector = [Double](repeating: 0, count: 1)
        let (vectorStatus, _) = vector.withUnsafeMutableBufferPointer { out in
            book.call("task_vector") { session.calls.task_vector(session.instance.raw, "assay-check-no-such-vector", out.baseAddress, 1, $0) }
        }
        book.check(.unknownTaskVectorNotFound, vectorStatus == ASSAY_ERROR_NOT_FOUND,
                   "task_vector \"assay-check-no-such-vector\" returned \(statusName(vectorStatus)) (expected ASSAY_ERROR_NOT_FOUND)")

        if book.failed(.drawDeterministic) || book.failed(.labelDeterministic) {
            book.skip(.generatorConcurrent, "draw or label is not deterministic even serially")
        } else {
            checkConcurrency(session)
        }

        if let one = session.draw(chunk: Self.batches + 1, count: 1, rule: .oneRowBatch) {
            let x = one.x.map(Double.init(bitPattern:)), truth = one.y.map(Double.init(bitPattern:))
            for mode in [ASSAY_LABEL_SYNTHESIZE, ASSAY_LABEL_PREDICT] {
                guard let labels = session.label(x: x, rows: 1, mode: mode, chunk: 0, rule: .oneRowBatch) else { return }
                if mode == ASSAY_LABEL_SYNTHESIZE {
                    session.checkSimilarity(x: x, labels: labels.map(Double.init(bitPattern:)), truth: truth, rows: 1, rule: .oneRowBatch)
                }
            }
            book.check(.oneRowBatch, true, "")
        }
    }

    /// log P(y | x) under "generator": one value per row, the same twice;
    /// a generator without likelihoods says ASSAY_ERROR_UNSUPPORTED.
    private func checkLogLikelihood(_ session: GeneratorSession, x: [Double], y: [Double]) {
        let (status, message, values) = session.logLikelihood(x: x, y: y, rows: Self.rows)
        if status == ASSAY_ERROR_UNSUPPORTED {
            book.skip(.logLikelihoodShape, "log_likelihood is ASSAY_ERROR_UNSUPPORTED")
            book.skip(.logLikelihoodDeterministic, "log_likelihood is ASSAY_ERROR_UNSUPPORTED")
            return
        }
        guard status == ASSAY_OK else {
            book.fail(.logLikelihoodShape, "log_likelihood of \(Self.rows) synthesized pairs under \"generator\" failed: \(statusName(status)): \(message) (expected ASSAY_OK, or ASSAY_ERROR_UNSUPPORTED)")
            return
        }
        let fault = OutputMarks.shapeFault(values, count: Self.rows)
        book.check(.logLikelihoodShape, fault == nil, "log_likelihood of \(Self.rows) rows: \(fault ?? "") (expected one value per row)")
        let (_, _, again) = session.logLikelihood(x: x, y: y, rows: Self.rows)
        book.check(.logLikelihoodDeterministic, again.map(\.bitPattern) == values.map(\.bitPattern),
                   "log_likelihood of the same \(Self.rows) pairs twice differs (expected the same bits)")
    }

    /// fit makes a model that label then knows; forget drops it again.
    private func checkFit(_ session: GeneratorSession, x: [Double], y: [Double]) {
        let model = "assay-check-model"
        let (status, message) = session.fit(model: model, x: x, y: y, rows: Self.rows)
        if status == ASSAY_ERROR_UNSUPPORTED {
            book.skip(.fitMakesModel, "fit is ASSAY_ERROR_UNSUPPORTED")
            book.skip(.forgetDropsModel, "fit is ASSAY_ERROR_UNSUPPORTED: no model to forget")
            return
        }
        guard status == ASSAY_OK else {
            book.fail(.fitMakesModel, "fit \"\(model)\" on \(Self.rows) drawn pairs failed: \(statusName(status)): \(message) (expected ASSAY_OK, or ASSAY_ERROR_UNSUPPORTED)")
            return
        }
        let (fitted, labelMessage) = session.label(x: x, rows: Self.rows, model: model)
        book.check(.fitMakesModel, fitted == ASSAY_OK,
                   "label with the fitted model \"\(model)\" returned \(statusName(fitted)): \(labelMessage) (expected ASSAY_OK)")
        session.forget(model: model)
        let (forgotten, _) = session.label(x: x, rows: Self.rows, model: model)
        book.check(.forgetDropsModel, forgotten == ASSAY_ERROR_NOT_FOUND,
                   "label with \"\(model)\" after forget returned \(statusName(forgotten)) (expected ASSAY_ERROR_NOT_FOUND)")
    }

    /// Draws and labels batches serially, then every batch from every
    /// thread at once; every answer must be the serial one.
    private func checkConcurrency(_ session: GeneratorSession) {
        func sample(_ chunk: Int) -> Sample? {
            guard var drawn = session.draw(chunk: chunk, count: Self.rows, rule: .generatorConcurrent),
                  let labels = session.label(x: drawn.x.map(Double.init(bitPattern:)), rows: Self.rows,
                                             mode: ASSAY_LABEL_SYNTHESIZE, chunk: chunk, rule: .generatorConcurrent)
            else { return nil }
            drawn.labels = labels
            return drawn
        }
        let serial = (1...Self.batches).map(sample)
        let lock = NSLock()
        var answers: [(Int, Sample?)] = []
        onThreads(Self.threads) { thread in
            for step in 0..<Self.batches {
                let index = (thread + step) % Self.batches
                let answer = sample(index + 1)
                lock.withLock { answers.append((index, answer)) }
            }
        }
        for (index, answer) in answers {
            guard let answer, let expected = serial[index] else { continue }
            book.check(.generatorConcurrent, answer == expected,
                       "batch \(index + 1) drawn and labelled while \(Self.threads - 1) other threads did the same: \(answer.x == expected.x && answer.y == expected.y ? "labels" : "draws") differ (expected the serial call's bits)")
        }
    }
}
