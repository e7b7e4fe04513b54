import AssayHost

/// `[report] claims = ["figure4"]`: the paper's Figure-4 claims (Figure4Findings).
public struct Figure4Claim: Claim {
    public init() {}
    public var name: String { "figure4" }
    public func render(_ outcome: SweepOutcome) -> String { Figure4Findings(outcome).render() }
}
