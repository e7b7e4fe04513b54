/// One chain of iterated retraining in one round (see IteratedRounds).
public struct RoundPoint: Codable, Equatable {
    public var round: Int
    /// A verifier's name, or "random" (no verification).
    public var selection: String
    /// Test accuracy of the model that synthesized this round's pool.
    public var generatorAccuracy: Double
    /// ϕ, ψ, p* of the selection on this round's pool.
    public var score: SelectionScore?
    /// The model retrained on the selection's first n' kept pairs (the
    /// largest n'); nil when it kept fewer.
    public var point: CurvePoint?

    enum CodingKeys: String, CodingKey {
        case round, selection, generatorAccuracy = "generator_accuracy", score, point
    }
}
