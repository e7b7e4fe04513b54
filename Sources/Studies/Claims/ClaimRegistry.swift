import AssayHost

/// The claims a config may name, in the order their checks are printed.
/// The CLI builds it from the studies (`ClaimRegistry.studies`); the host
/// only carries the names a config gives (`ConfigFile.claims`).
public struct ClaimRegistry {
    public let claims: [any Claim]

    /// Names must be unique: a config names a claim by it.
    public init(_ claims: [any Claim]) {
        precondition(Set(claims.map(\.name)).count == claims.count, "two claims share a name")
        self.claims = claims
    }

    /// Every claim the studies of this package make.
    public static let studies = ClaimRegistry([Figure3Claim(), Figure4Claim(), RoundsClaim()])

    /// The known names, quoted, for error messages.
    public var known: String { claims.map { "\"\($0.name)\"" }.joined(separator: ", ") }

    /// The claims `names` asks for, in the registry's order; an unknown
    /// name is an error naming the config and listing the known ones.
    public func resolve(_ names: [String], in path: String) throws -> [any Claim] {
        if let unknown = names.first(where: { name in !claims.contains { $0.name == name } }) {
            throw AssayError("\(path) [report]: unknown claim \"\(unknown)\"; expected one of \(known)")
        }
        return claims.filter { names.contains($0.name) }
    }

    /// The checks of the claims a config names, rendered on its sweep.
    public func render(_ names: [String], in path: String, _ outcome: SweepOutcome) throws -> [String] {
        try resolve(names, in: path).map { $0.render(outcome) }
    }
}
