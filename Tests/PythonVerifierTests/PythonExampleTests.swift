import AssayTestSupport
import Foundation
import XCTest

/// examples/python-verifier in `assay run`: sign.py is the rule of
/// examples/c-verifier/sign_verifier.c, and run.toml runs both beside a
/// shipped Swift verifier. Same rule, same pool: the same kept count and
/// exactly the same ϕ, ψ, p* and learning curve.
final class PythonExampleTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-python-example")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    /// examples/c-verifier built with its own Makefile from a copy, as
    /// HostTests' CExampleTests does.
    private func buildCSign() throws -> String {
        let copy = scratch.file("c-verifier")
        try FileManager.default.copyItem(atPath: Paths.root + "/examples/c-verifier", toPath: copy)
        try? FileManager.default.removeItem(atPath: copy + "/libc_sign.so")
        let make = try runProcess("/usr/bin/env", ["make", "-C", copy, "INCLUDE=\(Paths.include)", "CFLAGS=-Werror"])
        XCTAssertEqual(make.status, 0, "make failed:\n\(make.stdout)\n\(make.stderr)")
        return copy + "/libc_sign.so"
    }

    /// The shipped run.toml, with its two relative paths made absolute so
    /// that it runs from the scratch folder.
    private func shippedConfig(cSign: String) throws -> String {
        let text = try String(contentsOfFile: Paths.root + "/examples/python-verifier/run.toml", encoding: .utf8)
        let library = "library = \"examples/c-verifier/libc_sign.so\"", module = "module = \"examples/python-verifier/sign.py\""
        XCTAssertTrue(text.contains(library) && text.contains(module), "run.toml no longer names the example files")
        return text.replacingOccurrences(of: library, with: "library = \"\(cSign)\"")
            .replacingOccurrences(of: module, with: "module = \"\(Paths.root)/examples/python-verifier/sign.py\"")
    }

    func testPythonSignMatchesTheCRuleExactly() throws {
        let python = try requirePython()
        let path = try scratch.write("run.toml", try shippedConfig(cSign: try buildCSign()))
        let result = try assay(["run", path, "--json", "--db", scratch.file("r.sqlite")], in: scratch.path, python: python)
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try jsonObject(result.stdout)
        let c = try XCTUnwrap(entry(document, "c-sign"), result.stdout)
        let py = try XCTUnwrap(entry(document, "py-sign"), result.stdout)
        let swift = try XCTUnwrap(entry(document, "margin-pi/12"), result.stdout)
        XCTAssertEqual(py["plugin"] as? String, "python")
        XCTAssertEqual(c["plugin"] as? String, "c-sign")
        XCTAssertEqual(swift["plugin"] as? String, "margin")

        let kept = try XCTUnwrap(c["kept"] as? Int)
        // A rule that keeps everything or nothing would match trivially.
        XCTAssertTrue(kept > 10_000 && kept < 90_000, "c-sign kept \(kept) of 100000")
        XCTAssertEqual(py["kept"] as? Int, kept)
        for key in ["phi", "psi", "p_star", "p"] {
            let expected = try XCTUnwrap(c[key] as? Double, key)
            XCTAssertEqual(try XCTUnwrap(py[key] as? Double, key), expected, key)
        }
        XCTAssertEqual((py["curve"] as? [[String: Any]]).map { $0 as NSArray }, (c["curve"] as? [[String: Any]]).map { $0 as NSArray })
        XCTAssertNotEqual(swift["kept"] as? Int, kept, "the Swift verifier is a different rule")
    }

    /// The same run twice: the same document (run ids aside).
    func testRunsAreDeterministic() throws {
        let python = try requirePython()
        let config = """
            seed = 4
            threads = 2
            [pool]
            size = 30000
            chunk = 8192
            [test]
            size = 2000
            [retrain]
            n = [200]
            [generator]
            plugin = "gaussian-mixture"
            d = 100
            tau = 0.15
            n0 = 200
            [[verifier]]
            name = "py-score"
            plugin = "python"
            module = "\(Paths.root)/examples/python-verifier/sign.py"
            function = "score"
            mode = "score"
            fraction = 0.4
            """
        let path = try scratch.write("score.toml", config)
        var documents: [NSDictionary] = []
        for run in 0..<2 {
            let result = try assay(["run", path, "--json", "--db", scratch.file("r\(run).sqlite")], in: scratch.path, python: python)
            XCTAssertEqual(result.status, 0, result.stderr)
            var document = try jsonObject(result.stdout)
            let verifier = try XCTUnwrap(entry(document, "py-score"), result.stdout)
            XCTAssertEqual(verifier["kept"] as? Int, 12_000, "a top fraction of 0.4 of 30000")
            document["run_id"] = nil
            documents.append(document as NSDictionary)
        }
        XCTAssertEqual(documents[0], documents[1])
    }
}
