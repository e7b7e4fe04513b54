import Foundation

/// A two-class latent-class model (Dawid & Skene 1979) of the verifiers'
/// keep bits: a row is correct with probability 1 − p, and given its class
/// each verifier keeps it independently, with probability ϕ_v if correct and
/// ψ_v if wrong. EM over the pattern counts fits p, ϕ and ψ without any
/// audit; audited rows enter with their class observed (s is the weight of
/// "correct"), which anchors the fit.
///
/// The model's assumption — verifiers independent given correctness — is
/// what ConditionalDependence measures on the audited rows.
public struct LabelModel: Codable, Sendable {
    public var generatorError: Double
    public var phi: [Double]
    public var psi: [Double]
    public var breakdown: [Double]
    public var iterations: Int
    public var converged: Bool
    public var anchoredRows: Int
    public var logLikelihood: Double

    /// Fits on pattern counts (AuditSample.patterns; strata are pooled).
    /// `useAudit: false` ignores the audited rows' similarity (they count as
    /// unaudited), for the model without ground truth.
    public static func fit(_ sample: AuditSample, useAudit: Bool = true, tolerance: Double = 1e-10, maximumIterations: Int = 5000) throws -> LabelModel {
        let k = sample.verifierNames.count
        guard k >= 3 else { throw AuditError("the label model needs at least 3 verifiers, the mapping has \(k)") }
        guard sample.countsPatterns else {
            throw AuditError("the label model counts keep patterns of at most \(AuditSample.patternVerifierLimit) verifiers, the mapping has \(k)")
        }
        // Pool the strata: the model is of the whole pool.
        var merged: [UInt64: AuditSample.PatternCount] = [:]
        for (key, count) in sample.patterns {
            var entry = merged[key.pattern, default: AuditSample.PatternCount()]
            if useAudit {
                entry.unaudited += count.unaudited
                entry.audited += count.audited
                entry.similarity += count.similarity
            } else {
                entry.unaudited += count.unaudited + count.audited
            }
            merged[key.pattern] = entry
        }
        let patterns = merged.keys.sorted()
        let counts = patterns.map { merged[$0]! }
        let bits = patterns.map { pattern in (0..<k).map { (pattern >> UInt64($0)) & 1 == 1 } }
        let rows = Double(counts.reduce(0) { $0 + $1.unaudited + $1.audited })
        let anchored = counts.reduce(0) { $0 + $1.audited }

        // Start from the majority vote: a pattern's share of kept bits is its
        // chance of being correct. This also fixes which class is "correct"
        // (the one most verifiers keep), the label swap EM cannot decide.
        var correctWeight = zip(counts, bits).map { count, bits -> Double in
            let share = Double(bits.filter { $0 }.count) / Double(k)
            return Double(count.unaudited) * share + count.similarity
        }
        var phi = [Double](repeating: 0, count: k), psi = phi
        var correct = 0.5
        var previous = -Double.infinity
        var iterations = 0
        var converged = false
        var logLikelihood = 0.0
        let floor = 1e-9
        while iterations < maximumIterations {
            iterations += 1
            // M step.
            var correctTotal = 0.0, wrongTotal = 0.0
            var phiSum = [Double](repeating: 0, count: k), psiSum = phiSum
            for c in counts.indices {
                let total = Double(counts[c].unaudited + counts[c].audited)
                let right = correctWeight[c], wrong = total - right
                correctTotal += right
                wrongTotal += wrong
                for v in 0..<k where bits[c][v] {
                    phiSum[v] += right
                    psiSum[v] += wrong
                }
            }
            correct = min(max(correctTotal / rows, floor), 1 - floor)
            for v in 0..<k {
                phi[v] = min(max(phiSum[v] / max(correctTotal, floor), floor), 1 - floor)
                psi[v] = min(max(psiSum[v] / max(wrongTotal, floor), floor), 1 - floor)
            }
            // E step (unaudited rows; audited ones keep their observed class)
            // and the observed-data log-likelihood.
            logLikelihood = 0
            for c in counts.indices {
                var logRight = log(correct), logWrong = log(1 - correct)
                for v in 0..<k {
                    logRight += bits[c][v] ? log(phi[v]) : log(1 - phi[v])
                    logWrong += bits[c][v] ? log(psi[v]) : log(1 - psi[v])
                }
                let top = max(logRight, logWrong)
                let logTotal = top + log(exp(logRight - top) + exp(logWrong - top))
                let posterior = exp(logRight - logTotal)
                let audited = Double(counts[c].audited), s = counts[c].similarity
                correctWeight[c] = Double(counts[c].unaudited) * posterior + s
                logLikelihood += Double(counts[c].unaudited) * logTotal + s * logRight + (audited - s) * logWrong
            }
            if abs(logLikelihood - previous) <= tolerance * max(1, abs(logLikelihood)) {
                converged = true
                break
            }
            previous = logLikelihood
        }
        let breakdown = zip(phi, psi).map { $0 / ($0 + $1) }
        return LabelModel(generatorError: 1 - correct, phi: phi, psi: psi, breakdown: breakdown,
                          iterations: iterations, converged: converged, anchoredRows: useAudit ? anchored : 0,
                          logLikelihood: logLikelihood)
    }
}
