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
            checkCalls(Session(instance: instance, calls: calls, seed: seed, book: book))
        }
    }

    private func checkCalls(_ session: Session) {
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
    private func checkLogLikelihood(_ session: Session, x: [Double], y: [Double]) {
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
    private func checkFit(_ session: Session, x: [Double], y: [Double]) {
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
    private func checkConcurrency(_ session: Session) {
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

/// One generator instance under check, with its shape once prepared: the
/// calls of the generator rules, each checking the outputs it makes.
private final class Session {
    let instance: CheckedInstance
    let calls: assay_generator
    let seed: UInt64
    let book: RuleBook
    private(set) var xCols = 0
    private(set) var yCols = 0

    init(instance: CheckedInstance, calls: assay_generator, seed: UInt64, book: RuleBook) {
        self.instance = instance
        self.calls = calls
        self.seed = seed
        self.book = book
    }

    func prepare() -> Bool {
        var x: UInt64 = 0, y: UInt64 = 0
        let (status, message) = withRandom(seed: seed, .generatorPrepare) { rng in
            book.call("prepare") { calls.prepare(instance.raw, rng, &x, &y, $0) }
        }
        guard status == ASSAY_OK else {
            book.fail(.prepareShape, "prepare failed: \(statusName(status)): \(message) (expected ASSAY_OK)")
            return false
        }
        guard x > 0, y > 0 else {
            book.fail(.prepareShape, "prepare reported \(x) x and \(y) y columns (expected at least one of each)")
            return false
        }
        // Not a rule, a limit of the check: its buffers hold 200 rows.
        guard x <= 1 << 20, y <= 1 << 20 else {
            book.skip(.drawShape, "prepare reported \(x) x and \(y) y columns, too many for the check's buffers (at most 2^20 each)")
            return false
        }
        book.check(.prepareShape, true, "")
        (xCols, yCols) = (Int(x), Int(y))
        return true
    }

    /// `count` clean samples on chunk `chunk`'s draw stream, checked for
    /// shape and finiteness; nil (and `rule` failed) if draw failed.
    func draw(chunk: Int, count: Int, rule: CheckRule = .drawShape) -> GeneratorCheck.Sample? {
        var x = OutputMarks.doubles(count * xCols), y = OutputMarks.doubles(count * yCols)
        let stream = OpenStream(seed: seed, .draw(chunk: chunk))
        let (status, message) = x.withUnsafeMutableBufferPointer { x in
            y.withUnsafeMutableBufferPointer { y in
                book.call("draw") { calls.draw(instance.raw, stream.random, UInt64(count), x.baseAddress, y.baseAddress, $0) }
            }
        }
        withExtendedLifetime(stream) {}
        guard status == ASSAY_OK else {
            book.fail(rule, "draw of \(count) row\(count == 1 ? "" : "s") failed: \(statusName(status)): \(message) (expected ASSAY_OK)")
            return nil
        }
        for (name, values, total) in [("x", x, count * xCols), ("y", y, count * yCols)] {
            let fault = OutputMarks.shapeFault(values, count: total)
            book.check(.drawShape, fault == nil, "draw of \(count) rows: \(name) \(fault ?? "") (expected \(total) values)")
            let infinite = values[..<total].firstIndex { !$0.isFinite && !OutputMarks.isMark($0) }
            book.check(.drawFinite, infinite == nil, "draw of \(count) rows: \(name)[\(infinite ?? 0)] is \(values[infinite ?? 0]) (expected finite numbers)")
        }
        return GeneratorCheck.Sample(x: x[..<(count * xCols)].map(\.bitPattern), y: y[..<(count * yCols)].map(\.bitPattern))
    }

    /// Labels `rows` rows of `x` with the model "generator", checked for
    /// shape and finiteness, as bits; nil (and `rule` failed) if it failed.
    func label(x: [Double], rows: Int, mode: Int, chunk: Int, rule: CheckRule = .labelShape) -> [UInt64]? {
        let (status, message, labels) = label(x: x, rows: rows, model: "generator", mode: mode, chunk: chunk)
        let name = mode == ASSAY_LABEL_SYNTHESIZE ? "SYNTHESIZE" : "PREDICT"
        guard status == ASSAY_OK else {
            book.fail(rule, "label of \(rows) row\(rows == 1 ? "" : "s") with \"generator\" in \(name) mode failed: \(statusName(status)): \(message) (expected ASSAY_OK)")
            return nil
        }
        let total = rows * yCols
        let fault = OutputMarks.shapeFault(labels, count: total)
        book.check(.labelShape, fault == nil, "label of \(rows) rows in \(name) mode: \(fault ?? "") (expected \(total) values)")
        let infinite = labels[..<total].firstIndex { !$0.isFinite && !OutputMarks.isMark($0) }
        book.check(.labelFinite, infinite == nil, "label of \(rows) rows in \(name) mode: y[\(infinite ?? 0)] is \(labels[infinite ?? 0]) (expected finite numbers)")
        return labels[..<total].map(\.bitPattern)
    }

    /// A label call with any model, for the refusal rules.
    func label(x: [Double], rows: Int, model: String) -> (assay_status, String) {
        let (status, message, _) = label(x: x, rows: rows, model: model, mode: ASSAY_LABEL_PREDICT, chunk: 0)
        return (status, message)
    }

    private func label(x: [Double], rows: Int, model: String, mode: Int, chunk: Int) -> (assay_status, String, [Double]) {
        var labels = OutputMarks.doubles(rows * yCols)
        let stream = OpenStream(seed: seed, .label(chunk: chunk))
        let (status, message) = x.withUnsafeBufferPointer { x in
            withBatch(rows: rows, firstRow: 0, x: x, xCols: xCols, y: nil, yCols: yCols) { batch in
                labels.withUnsafeMutableBufferPointer { labels in
                    book.call("label") { error in
                        model.withCString { calls.label(instance.raw, $0, assay_label_mode(mode), batch, stream.random, labels.baseAddress, error) }
                    }
                }
            }
        }
        withExtendedLifetime(stream) {}
        return (status, message, labels)
    }

    /// log P(y | x) under "generator", in a marked buffer.
    func logLikelihood(x: [Double], y: [Double], rows: Int) -> (assay_status, String, [Double]) {
        var out = OutputMarks.doubles(rows)
        let (status, message) = x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                withBatch(rows: rows, firstRow: 0, x: x, xCols: xCols, y: y, yCols: yCols) { batch in
                    out.withUnsafeMutableBufferPointer { out in
                        book.call("log_likelihood") { calls.log_likelihood(instance.raw, "generator", batch, out.baseAddress, $0) }
                    }
                }
            }
        }
        return (status, message, out)
    }

    func fit(model: String, x: [Double], y: [Double], rows: Int) -> (assay_status, String) {
        x.withUnsafeBufferPointer { x in
            y.withUnsafeBufferPointer { y in
                withBatch(rows: rows, firstRow: 0, x: x, xCols: xCols, y: y, yCols: yCols) { batch in
                    book.call("fit") { error in model.withCString { calls.fit(instance.raw, $0, batch, error) } }
                }
            }
        }
    }

    func forget(model: String) {
        model.withCString { calls.forget(instance.raw, $0) }
    }

    /// The similarity of `labels` to `truth` is in [0, 1], and that of the
    /// truth to itself is 1.
    func checkSimilarity(x: [Double], labels: [Double], truth: [Double], rows: Int, rule: CheckRule = .similarityRange) {
        for (what, y) in [("labels", labels), ("truth", truth)] {
            var s = OutputMarks.doubles(rows)
            let (status, message) = x.withUnsafeBufferPointer { x in
                y.withUnsafeBufferPointer { y in
                    withBatch(rows: rows, firstRow: 0, x: x, xCols: xCols, y: y, yCols: yCols) { batch in
                        truth.withUnsafeBufferPointer { truth in
                            s.withUnsafeMutableBufferPointer { s in
                                book.call("similarity") { calls.similarity(instance.raw, batch, truth.baseAddress, s.baseAddress, $0) }
                            }
                        }
                    }
                }
            }
            guard status == ASSAY_OK else {
                book.fail(rule, "similarity of \(rows) row\(rows == 1 ? "" : "s") failed: \(statusName(status)): \(message) (expected ASSAY_OK)")
                return
            }
            let fault = OutputMarks.shapeFault(s, count: rows)
            let outside = s[..<rows].firstIndex { !($0 >= 0 && $0 <= 1) }
            book.check(.similarityRange, fault == nil && outside == nil,
                       fault.map { "similarity of \(rows) rows: \($0) (expected one value per row)" }
                           ?? "similarity of \(what) at row \(outside ?? 0) is \(s[outside ?? 0]) (expected a number in [0, 1])")
            if what == "truth" {
                let below = s[..<rows].firstIndex { $0 != 1 }
                book.check(.similarityOfTruth, below == nil,
                           "similarity of the truth to itself at row \(below ?? 0) is \(s[below ?? 0]) (expected 1)")
            }
        }
    }
}
