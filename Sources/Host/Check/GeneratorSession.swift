import PluginAPI

/// One generator instance under check, with its shape once prepared: the
/// calls of the generator rules, each checking the outputs it makes.
final class GeneratorSession {
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
        for (what, y) in [("synthesized labels", labels), ("the truth", truth)] {
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
            if what == "the truth" {
                let below = s[..<rows].firstIndex { $0 != 1 }
                book.check(.similarityOfTruth, below == nil,
                           "similarity of the truth to itself at row \(below ?? 0) is \(s[below ?? 0]) (expected 1)")
            }
        }
    }
}
