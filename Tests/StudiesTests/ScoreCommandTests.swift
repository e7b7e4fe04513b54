import AssayTestSupport
import XCTest

/// `assay score` prints analytic beside measured ϕ, ψ, p* for margin
/// pruners when the formulas apply, and says why when they do not.
final class ScoreCommandTests: XCTestCase {
    func testScorePrintsTheMarginTheoryTable() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let result = try assay(["score", Paths.root + "/configs/margin-theory.toml", "--db", folder.file("db.sqlite")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("Margin pruners, analytic against measured"), result.stdout)
        for name in ["margin-pi/24", "margin-pi/12", "margin-0.9", "margin-n1000"] {
            let row = try XCTUnwrap(lines(result.stdout).last { $0.hasPrefix(name + " ") }, name)
            // The last two columns: |Δϕ|/se and |Δψ|/se.
            let deviations = row.split(separator: " ").suffix(2).compactMap { Double($0) }
            XCTAssertEqual(deviations.count, 2, row)
            XCTAssertTrue(deviations.allSatisfy { $0 < 3 }, row)
        }
    }

    func testScoreSaysWhyTheTheoryDoesNotApply() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let config = try folder.write("sample.toml", """
            [pool]
            size = 2000
            [test]
            size = 1000
            [retrain]
            n = [100]
            [generator]
            plugin = "gaussian-mixture"
            labels = "sample"
            [[verifier]]
            name = "margin"
            plugin = "margin"
            theta = 0.2
            """)
        let result = try assay(["score", config, "--db", folder.file("db.sqlite")])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("not shown: margin theory: the generator has labels = \"sample\""), result.stdout)
    }
}
