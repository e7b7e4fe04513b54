import Foundation
import XCTest

/// The C side of the embedding API: examples/embed-c built with cc against
/// assay.h and libAssay.so alone, and the checks of Fixtures/api_checks.c.
/// (The Python side, python/tests, runs from the Makefile's test-python.)
final class EmbedCTests: XCTestCase {
    /// Builds examples/embed-c into a temporary folder with its own
    /// Makefile, warnings as errors, against this build's libAssay.so.
    private func buildExample() throws -> String {
        try requireBuild()
        let program = try temporaryFolder(self) + "/embed"
        let make = try execute("/usr/bin/env", ["make", "-s", "-C", Paths.example, "BUILD=\(Paths.buildFolder)",
                                            "OUT=\(program)", "CFLAGS=-Werror"])
        XCTAssertEqual(make.status, 0, "make failed: \(make.stdout)\(make.stderr)")
        return program
    }

    func testExampleScoresArraysAndReportsBadInput() throws {
        let result = try execute(try buildExample(), [])
        XCTAssertEqual(result.status, 0, result.stderr)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "assay host ABI 1.0")
        // 6 good pairs, 3 kept; 4 bad, 1 kept (see embed.c).
        for expected in ["scores of 10 pairs, 4 kept:", "p = 0.4000"] {
            XCTAssertTrue(lines.contains(expected), "no line \"\(expected)\" in:\n\(result.stdout)")
        }
        for prefix in ["phi = 0.5000 [", "psi = 0.2500 [", "p* = 0.6667 ["] {
            XCTAssertTrue(lines.contains { $0.hasPrefix(prefix) }, "no line \"\(prefix)…\" in:\n\(result.stdout)")
        }
        XCTAssertTrue(lines.contains("bad input: status 1: s[2] = 1.5: expected a similarity in [0, 1]"), result.stdout)
        for plugin in ["gaussian-mixture generator", "oracle verifier", "noisy verifier"] {
            XCTAssertTrue(lines.contains { $0.hasPrefix("  \(plugin) ") }, "plugin \(plugin) not listed:\n\(result.stdout)")
        }
        XCTAssertTrue(result.stderr.contains("progress: done 1/1"), result.stderr)
    }

    func testExampleRunPrintsTheDocumentOfAssayRun() throws {
        let result = try execute(try buildExample(), [])
        XCTAssertEqual(result.status, 0, result.stderr)
        let start = try XCTUnwrap(result.stdout.range(of: "\n{\n"), "no JSON document in:\n\(result.stdout)")
        let document = try jsonObject(String(result.stdout[result.stdout.index(after: start.lowerBound)...]))
        XCTAssertNil(document["run_id"], "nothing is stored without a database")
        XCTAssertEqual(document["pool_size"] as? Int, 20000)
        XCTAssertEqual(document["test_size"] as? Int, 5000)
        let verifiers = try XCTUnwrap(document["verifiers"] as? [[String: Any]])
        XCTAssertEqual(verifiers.map { $0["name"] as? String }, ["oracle", "noisy-0.25"])
        XCTAssertEqual(verifiers[0]["p_star"] as? Double, 1)
        XCTAssertEqual(verifiers[1]["phi"] as? Double, 1)
        XCTAssertEqual((verifiers[0]["curve"] as? [[String: Any]])?.map { $0["n"] as? Int }, [1000])

        // The CLI on the same config prints the same document, run_id aside.
        let folder = try temporaryFolder(self)
        try exampleConfig().write(toFile: folder + "/embed.toml", atomically: true, encoding: .utf8)
        let cli = try execute(Paths.assay, ["run", folder + "/embed.toml", "--json", "--db", folder + "/assay.sqlite"])
        XCTAssertEqual(cli.status, 0, cli.stderr)
        var expected = try jsonObject(cli.stdout)
        XCTAssertNotNil(expected.removeValue(forKey: "run_id"))
        XCTAssertEqual(document as NSDictionary, expected as NSDictionary)
    }

    func testAPIChecksFromC() throws {
        try requireBuild()
        let program = try temporaryFolder(self) + "/api_checks"
        let compile = try execute("/usr/bin/env", [
            "cc", "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror", "-pthread", "-I", Paths.include,
            Paths.fixtures + "/api_checks.c", "-L", Paths.buildFolder, "-lAssay",
            "-Wl,-rpath,\(Paths.buildFolder)", "-o", program,
        ])
        XCTAssertEqual(compile.status, 0, "cc failed: \(compile.stderr)")
        let result = try execute(program, [])
        XCTAssertEqual(result.status, 0, "\(result.stdout)\(result.stderr)")
        XCTAssertEqual(result.stdout, "ok\n")
    }

    func testHeaderIsValidCAndCxx() throws {
        let strictC = try execute("/usr/bin/env", ["cc", "-std=c99", "-Wall", "-Wextra", "-pedantic", "-Werror",
                                               "-fsyntax-only", "-x", "c", Paths.include + "/assay.h"])
        XCTAssertEqual(strictC.status, 0, strictC.stderr)
        let cxx = try execute("/usr/bin/env", ["c++", "-Wall", "-Werror", "-fsyntax-only", "-x", "c++",
                                           Paths.include + "/assay.h"])
        XCTAssertEqual(cxx.status, 0, cxx.stderr)
    }

    /// The TOML text of embed.c's `config`, read from its string literals
    /// so that the test follows the example rather than a copy of it.
    private func exampleConfig() throws -> String {
        let source = try String(contentsOfFile: Paths.example + "/embed.c", encoding: .utf8)
        let start = try XCTUnwrap(source.range(of: "static const char *config ="))
        let end = try XCTUnwrap(source.range(of: ";", range: start.upperBound..<source.endIndex))
        return source[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line -> String? in
            guard let open = line.firstIndex(of: "\""), let close = line.lastIndex(of: "\""), open < close else { return nil }
            return line[line.index(after: open)..<close]
                .replacingOccurrences(of: "\\n", with: "\n")
                .replacingOccurrences(of: "\\\"", with: "\"")
        }.joined()
    }
}
