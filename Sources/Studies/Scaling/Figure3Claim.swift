import AssayHost

/// `[report] claims = ["figure3"]`: the paper's Figure-3 claims (ScalingFindings).
public struct Figure3Claim: Claim {
    public init() {}
    public var name: String { "figure3" }
    public func render(_ outcome: SweepOutcome) -> String { ScalingFindings(outcome).render() }
}
