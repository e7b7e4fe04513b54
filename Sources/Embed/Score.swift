import AssayHost
import PluginAPI

/// assay_score: p, ϕ, ψ, p* of given arrays through the host's own
/// SelectionScore(similarities:keep:), the code behind `assay score --pairs`.
@_cdecl("assay_score")
public func assayScore(_ s: UnsafePointer<Double>?, _ q: UnsafePointer<UInt8>?, _ n: Int,
                       _ out: UnsafeMutablePointer<assay_scores>?,
                       _ error: UnsafeMutablePointer<assay_host_error>?) -> assay_host_status {
    reporting(error, fallback: ASSAY_HOST_ERROR_ARGUMENT) {
        // size_t arrives as Int; read it back unsigned for the message.
        let count = UInt(bitPattern: n)
        guard count > 0, count <= UInt(Int.max) else {
            throw EmbedFailure.argument("n = \(count): expected at least one pair")
        }
        guard let s else { throw EmbedFailure.argument("s is NULL: expected \(n) similarities in [0, 1]") }
        guard let q else { throw EmbedFailure.argument("q is NULL: expected \(n) keep bits, each 0 or 1") }
        guard let out else { throw EmbedFailure.argument("out is NULL: expected an assay_scores to fill") }
        let size = MemoryLayout<assay_scores>.size
        guard Int(out.pointee.struct_size) >= size else {
            throw EmbedFailure.argument("out->struct_size = \(out.pointee.struct_size): expected sizeof(assay_scores) = \(size) (ASSAY_SCORES_INIT sets it)")
        }
        do {
            out.pointee = assay_scores(try SelectionScore(similarities: UnsafeBufferPointer(start: s, count: n),
                                                          keep: UnsafeBufferPointer(start: q, count: n)))
        } catch let failure as AssayError {
            throw EmbedFailure.argument(failure.description)
        }
    }
}

extension assay_scores {
    /// The C view of a score: undefined values are NaN with their flag 0.
    init(_ score: SelectionScore) {
        let undefined = assay_interval(lower: .nan, upper: .nan)
        func interval(_ value: SelectionScore.Interval?) -> assay_interval {
            value.map { assay_interval(lower: $0.lower, upper: $0.upper) } ?? undefined
        }
        self.init(struct_size: UInt32(MemoryLayout<assay_scores>.size), reserved: 0,
                  pairs: UInt64(score.pairs), kept: UInt64(score.kept), p: score.p,
                  phi: score.phi ?? .nan, phi_interval: interval(score.phiInterval),
                  psi: score.psi ?? .nan, psi_interval: interval(score.psiInterval),
                  p_star: score.pStar ?? .nan, p_star_interval: interval(score.pStarInterval),
                  has_phi: score.phi == nil ? 0 : 1, has_psi: score.psi == nil ? 0 : 1,
                  has_p_star: score.pStar == nil ? 0 : 1, has_p_star_interval: score.pStarInterval == nil ? 0 : 1)
    }
}
