import PluginKit

/// Keeps the rows whose label is at least `threshold`; counts its calls.
final class Keeper: RuleVerifier {
    static var descriptor: PluginDescriptor { PluginDescriptor(id: "keeper", version: "1.0.0", summary: "test rule") }
    let threshold: Double
    nonisolated(unsafe) static var calls = 0

    init(config: ConfigReader, host: HostServices) throws {
        threshold = try config.number("threshold", default: 0)
    }

    func keep(_ batch: Batch, rng: HostRandom, scratch: Scratch, into keep: UnsafeMutableBufferPointer<UInt8>) throws {
        Self.calls += 1
        for i in 0 ..< batch.rows { keep[i] = batch.y[i] >= threshold ? 1 : 0 }
    }
}

/// Scores each row by its label; `nan_row` makes one score NaN.
final class Scorer: ScoringVerifier {
    static var descriptor: PluginDescriptor { PluginDescriptor(id: "scorer", version: "1.0.0", summary: "test scores") }
    let fraction = 0.25
    let nanRow: Int

    init(config: ConfigReader, host: HostServices) throws {
        nanRow = try config.integer("nan_row", default: -1)
    }

    func score(_ batch: Batch, rng: HostRandom, scratch: Scratch, into score: UnsafeMutableBufferPointer<Double>) throws {
        for i in 0 ..< batch.rows { score[i] = i == nanRow ? .nan : batch.y[i] }
    }
}

/// Both protocols; its config picks the mode, as the oracle's does.
final class Either: RuleVerifier, ScoringVerifier {
    static var descriptor: PluginDescriptor { PluginDescriptor(id: "either", version: "1.0.0", summary: "test both") }
    let fraction: Double
    let scoring: Bool

    init(config: ConfigReader, host: HostServices) throws {
        scoring = config.has("fraction")
        fraction = try config.number("fraction", default: 1)
    }

    var selection: Selection { scoring ? .topFraction(fraction) : .rule }

    func keep(_ batch: Batch, rng: HostRandom, scratch: Scratch, into keep: UnsafeMutableBufferPointer<UInt8>) throws {
        keep.update(repeating: 1)
    }

    func score(_ batch: Batch, rng: HostRandom, scratch: Scratch, into score: UnsafeMutableBufferPointer<Double>) throws {
        score.update(repeating: 42)
    }
}

/// Says RULE but can only score: the wrapper must refuse, not crash.
final class Liar: ScoringVerifier {
    static var descriptor: PluginDescriptor { PluginDescriptor(id: "liar", version: "1.0.0", summary: "test misdeclared") }
    let fraction = 0.5
    init(config: ConfigReader, host: HostServices) throws {}
    var selection: Selection { .rule }
    func score(_ batch: Batch, rng: HostRandom, scratch: Scratch, into score: UnsafeMutableBufferPointer<Double>) throws {}
}

/// Throws whatever `message` says, from verify.
final class Thrower: RuleVerifier {
    static var descriptor: PluginDescriptor { PluginDescriptor(id: "thrower", version: "1.0.0", summary: "test errors") }
    let message: String
    init(config: ConfigReader, host: HostServices) throws {
        message = try config.string("message")
        if config.has("fraction") { _ = try config.number("fraction", in: 0 ... 1) }
    }
    func keep(_ batch: Batch, rng: HostRandom, scratch: Scratch, into keep: UnsafeMutableBufferPointer<UInt8>) throws {
        throw PluginError.failed(message)
    }
}

/// A scoring verifier whose fraction the config sets, unchecked, so that
/// the wrapper's check is what refuses it.
final class AnyFraction: ScoringVerifier {
    static var descriptor: PluginDescriptor { PluginDescriptor(id: "any-fraction", version: "1.0.0", summary: "test fraction") }
    let fraction: Double
    init(config: ConfigReader, host: HostServices) throws { fraction = try config.number("fraction") }
    func score(_ batch: Batch, rng: HostRandom, scratch: Scratch, into score: UnsafeMutableBufferPointer<Double>) throws {}
}

/// A generator of shape (2, 1) that labels every row 1.
final class Constant: GeneratorPlugin {
    static var descriptor: PluginDescriptor { PluginDescriptor(id: "constant", version: "1.0.0", summary: "test generator") }
    init(config: ConfigReader, host: HostServices) throws {}
    func prepare(rng: HostRandom) throws -> (xCols: Int, yCols: Int) { (2, 1) }
    func draw(rng: HostRandom, count: Int, x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>) throws {}
    func label(model: String, mode: LabelMode, batch: Batch, rng: HostRandom, into y: UnsafeMutableBufferPointer<Double>) throws {
        y.update(repeating: 1)
    }
    func similarity(batch: Batch, truth: UnsafeBufferPointer<Double>, into s: UnsafeMutableBufferPointer<Double>) throws {}
    func logLikelihood(model: String, batch: Batch, into out: UnsafeMutableBufferPointer<Double>) throws {}
    func fit(model: String, batch: Batch) throws {}
    func forget(model: String) {}
    func taskVector(_ name: String, into out: UnsafeMutableBufferPointer<Double>) throws {}
}

let testLibrary = ExportedLibrary(Keeper.self, Scorer.self, Either.self, Liar.self, Thrower.self, AnyFraction.self,
                                  Constant.self)
