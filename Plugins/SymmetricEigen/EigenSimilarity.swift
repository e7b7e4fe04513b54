/// How close predicted eigenvalues p are to the true ones v, through the
/// L¹ distance Σ|vᵢ − pᵢ| against the size Σ|vᵢ| (the paper's Appendix B).
///
/// - threshold: s = 1 when Σ|vᵢ − pᵢ| < τ·Σ|vᵢ| (strictly, as in the
///   paper), else 0; an exact match always scores 1, even for v = 0.
/// - continuous: s = max(0, 1 − e/(2τ)) with e = Σ|vᵢ − pᵢ| / Σ|vᵢ| the
///   relative error, for the generalised proxy of the paper's Appendix C:
///   1 for an exact match, falling linearly to 0 at e = 2τ. It is ½ at
///   e = τ, so a noisy verifier with threshold ½ on the continuous
///   similarity keeps what the threshold rule calls correct (and the
///   boundary e = τ itself).
struct EigenSimilarity {
    enum Rule: String, CaseIterable {
        case threshold, continuous
    }

    let tau: Double
    let rule: Rule

    func score(_ p: UnsafeBufferPointer<Double>, _ v: UnsafeBufferPointer<Double>, row: Int, width: Int) -> Double {
        var distance = 0.0, size = 0.0
        for j in (row * width)..<((row + 1) * width) {
            distance += abs(v[j] - p[j])
            size += abs(v[j])
        }
        if distance == 0 { return 1 }
        switch rule {
        case .threshold:
            // Compared as the paper writes it, not as a quotient, so that
            // the boundary is exactly where the paper puts it.
            return distance < tau * size ? 1 : 0
        case .continuous:
            // size = 0 < distance: an infinite relative error.
            return size == 0 ? 0 : max(0, 1 - distance / size / (2 * tau))
        }
    }
}
