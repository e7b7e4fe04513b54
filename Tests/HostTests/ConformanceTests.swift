import AssayTestSupport
import Foundation
import XCTest

/// `assay check`: every fixture of Tests/Fixtures/nonconforming-plugins
/// fails exactly the rule its header comment names ("breaks: rule"), the
/// conforming controls pass every rule, and so do the shipped plugins and
/// examples/c-verifier. Each check runs in an `assay` subprocess, as a user
/// runs it, so that its exit status and printed report are what is tested.
final class ConformanceTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-conformance")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    private static var fixtures: String { Paths.root + "/Tests/Fixtures/nonconforming-plugins" }
    private static var checkConfigs: String { Paths.root + "/Tests/Fixtures/check-configs" }

    /// The rules a report failed, by name.
    private func failedRules(_ report: String) -> [String] {
        lines(report).filter { $0.hasPrefix("FAIL  ") }.map { line in
            String(line.dropFirst(6).prefix { $0 != ":" })
        }
    }

    /// The rule a fixture's header comment says it breaks ("nothing" for a control).
    private func brokenRule(_ source: String) throws -> String {
        let text = try String(contentsOfFile: source, encoding: .utf8)
        let line = try XCTUnwrap(text.split(separator: "\n").first { $0.contains(" * breaks: ") }, "\(source) names no broken rule")
        return String(line.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces)
    }

    func testEachFixtureFailsExactlyTheRuleItBreaks() throws {
        let sources = try FileManager.default.contentsOfDirectory(atPath: Self.fixtures).filter { $0.hasSuffix(".c") }.sorted()
        XCTAssertGreaterThanOrEqual(sources.count - sources.filter { $0.hasPrefix("conforming") }.count, 5)
        var broken: Set<String> = []
        for name in sources {
            let source = Self.fixtures + "/" + name
            let rule = try brokenRule(source)
            let library = scratch.file("lib" + name.replacingOccurrences(of: ".c", with: ".so"))
            try compilePlugin(source, to: library)
            let result = try assay(["check", library])
            let failed = failedRules(result.stdout)
            if rule == "nothing" {
                XCTAssertEqual(result.status, 0, "\(name):\n\(result.stdout)\(result.stderr)")
                XCTAssertEqual(failed, [], "\(name):\n\(result.stdout)")
                XCTAssertTrue(result.stdout.hasSuffix("all rules pass\n"), "\(name):\n\(result.stdout)")
            } else {
                XCTAssertNotEqual(result.status, 0, "\(name) passed:\n\(result.stdout)")
                XCTAssertEqual(failed, [rule], "\(name):\n\(result.stdout)")
                XCTAssertTrue(result.stdout.hasSuffix("1 rule failed\n"), "\(name):\n\(result.stdout)")
                broken.insert(rule)
            }
            XCTAssertEqual(result.stderr, "", "\(name)")
        }
        XCTAssertEqual(broken.count, sources.count - sources.filter { $0.hasPrefix("conforming") }.count,
                       "two fixtures break the same rule")
    }

    /// A control's report lists the rules of its kind, every one passed, so
    /// that a rule that silently stopped running would show here.
    func testAConformingVerifierIsJudgedOnEveryVerifierRule() throws {
        let library = scratch.file("libconforming.so")
        try compilePlugin(Self.fixtures + "/conforming.c", to: library)
        let result = try assay(["check", library])
        XCTAssertEqual(result.status, 0, result.stdout)
        let passed = Set(lines(result.stdout).filter { $0.hasPrefix("pass  ") }.map { String($0.dropFirst(6)) })
        for rule in ["entry-point", "abi-version", "struct-sizes", "library-loads", "ids-unique", "id-well-formed",
                     "create", "unknown-key-refused", "malformed-config-refused", "prepare", "selection-valid",
                     "selection-constant", "keep-bits", "verify-deterministic", "verify-concurrent", "one-row-batch",
                     "error-nul-terminated", "error-one-line", "error-not-empty", "error-untouched-on-success", "no-stdout"] {
            XCTAssertTrue(passed.contains(rule), "\(rule) not passed:\n\(result.stdout)")
        }
        XCTAssertEqual(lines(result.stdout).filter { $0.hasPrefix("skip  ") }, [])
    }

    /// Every shipped plugin and examples/c-verifier pass (the ones with
    /// required keys or slow defaults with their Tests/Fixtures/check-configs file).
    func testShippedPluginsAndTheCExamplePass() throws {
        try requireBuild()
        let shipped = try FileManager.default.contentsOfDirectory(atPath: Paths.buildFolder)
            .filter { $0.hasPrefix("libassay_") && $0.hasSuffix(".so") }.sorted()
        XCTAssertTrue(Set(shipped).isSuperset(of: Paths.pluginLibraries), "\(shipped)")

        let copy = scratch.file("c-verifier")
        try FileManager.default.copyItem(atPath: Paths.root + "/examples/c-verifier", toPath: copy)
        try? FileManager.default.removeItem(atPath: copy + "/libc_sign.so")
        let make = try runProcess("/usr/bin/env", ["make", "-C", copy, "INCLUDE=\(Paths.include)", "CFLAGS=-Werror"])
        XCTAssertEqual(make.status, 0, make.stderr)

        for library in shipped.map({ Paths.buildFolder + "/" + $0 }) + [copy + "/libc_sign.so"] {
            let name = URL(fileURLWithPath: library).deletingPathExtension().lastPathComponent
                .replacingOccurrences(of: "libassay_", with: "")
            let config = Self.checkConfigs + "/\(name).toml"
            let options = FileManager.default.fileExists(atPath: config) ? ["--config", config] : []
            let result = try assay(["check", library] + options)
            XCTAssertEqual(result.status, 0, "\(library):\n\(result.stdout)\(result.stderr)")
            XCTAssertEqual(failedRules(result.stdout), [], "\(library):\n\(result.stdout)")
            XCTAssertTrue(result.stdout.contains("pass  verify-concurrent") || result.stdout.contains("pass  generator-concurrent"),
                          "\(library):\n\(result.stdout)")
        }
    }

    /// --config takes JSON or TOML; a config the plugin refuses fails `create`
    /// with the plugin's message; --plugin must name a plugin of the file.
    func testConfigFilesAndPluginSelection() throws {
        try requireBuild()
        let noisy = Paths.buildFolder + "/libassay_noisy.so"
        let json = try scratch.write("noisy.json", "{\"p_noise\": 0.1, \"threshold\": 1}\n")
        let toml = try scratch.write("noisy.toml", "p_noise = 0.1\nthreshold = 1\n")
        for config in [json, toml] {
            let result = try assay(["check", noisy, "--config", config, "--plugin", "noisy"])
            XCTAssertEqual(result.status, 0, result.stdout)
        }

        let refused = try assay(["check", noisy])
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertEqual(failedRules(refused.stdout), ["create"], refused.stdout)
        XCTAssertTrue(refused.stdout.contains("p_noise"), refused.stdout)

        let unknown = try assay(["check", noisy, "--config", json, "--plugin", "oracle"])
        XCTAssertNotEqual(unknown.status, 0)
        XCTAssertEqual(lines(unknown.stderr).count, 1, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("carries no plugin \"oracle\""), unknown.stderr)

        let broken = try scratch.write("broken.json", "{\"p_noise\": \n")
        let unreadable = try assay(["check", noisy, "--config", broken])
        XCTAssertNotEqual(unreadable.status, 0)
        XCTAssertTrue(unreadable.stderr.contains(broken), unreadable.stderr)
    }

    /// docs/ABI.md's table lists every rule the check has, and no other.
    func testTheDocumentedRulesAreTheCheckedOnes() throws {
        let listed = lines(try assay(["check", "--list-rules"]).stdout).filter { !$0.hasPrefix(" ") }
        XCTAssertGreaterThan(listed.count, 30)
        let document = try String(contentsOfFile: Paths.root + "/docs/ABI.md", encoding: .utf8)
        let section = try XCTUnwrap(document.components(separatedBy: "## Checking a plugin: assay check").last)
        let documented = lines(section).filter { $0.hasPrefix("| `") }.map { String($0.dropFirst(3).prefix { $0 != "`" }) }
        XCTAssertEqual(documented, listed)
    }
}
