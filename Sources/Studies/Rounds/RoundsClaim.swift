import AssayHost

/// `[report] claims = ["rounds"]`: iterated retraining (RoundsFindings).
public struct RoundsClaim: Claim {
    public init() {}
    public var name: String { "rounds" }
    public func render(_ outcome: SweepOutcome) -> String { RoundsFindings(outcome).render() }
}
