import AssayHost
import AssayStudies
import XCTest

/// `[report] claims` names resolved by the studies' registry: the known
/// names, their order, and the one-line error for an unknown name.
final class ClaimRegistryTests: XCTestCase {
    private let registry = ClaimRegistry.studies

    func testKnownNamesResolveInTheRegistrysOrder() throws {
        XCTAssertEqual(registry.claims.map(\.name), ["figure3", "figure4", "rounds"])
        XCTAssertEqual(try registry.resolve(["rounds", "figure3"], in: "exp.toml").map(\.name), ["figure3", "rounds"])
        XCTAssertEqual(try registry.resolve([], in: "exp.toml").count, 0)
    }

    func testUnknownNameListsTheKnownOnes() {
        XCTAssertThrowsError(try registry.resolve(["figure3", "figure9"], in: "exp.toml")) { error in
            XCTAssertEqual("\(error)", "exp.toml [report]: unknown claim \"figure9\"; expected one of \"figure3\", \"figure4\", \"rounds\"")
        }
    }

    /// A claim from outside the shipped studies is one conforming type.
    func testRendersWhatItsClaimsRender() throws {
        struct Counting: Claim {
            var name: String { "groups" }
            func render(_ outcome: SweepOutcome) -> String { "\(outcome.groups.count) groups" }
        }
        let registry = ClaimRegistry([Counting()])
        let outcome = SweepOutcome(sweepID: nil, points: [])
        XCTAssertEqual(try registry.render(["groups"], in: "exp.toml", outcome), ["0 groups"])
        XCTAssertThrowsError(try registry.render(["figure3"], in: "exp.toml", outcome))
    }
}
