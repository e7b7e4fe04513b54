import AssayHost

/// A claim a config's `[report] claims = [...]` can name: something a
/// study says about a sweep, checked on its outcome and rendered as text
/// (with a verdict) after the sweep's tables, by `assay run` and in
/// `assay report`.
///
/// A new task's claim is one type conforming to this protocol, beside its
/// study, and one entry in `ClaimRegistry.studies`.
public protocol Claim {
    /// The name `[report] claims` uses, e.g. "figure3"; the conforming
    /// type's documentation says what it checks.
    var name: String { get }
    /// The check on a sweep, as text: the verdict and the rows it rests on.
    func render(_ outcome: SweepOutcome) -> String
}
