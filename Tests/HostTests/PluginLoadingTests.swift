@testable import AssayHost
import AssayTestSupport
import Foundation
import PluginAPI
import XCTest

/// The bad plugins of Tests/Fixtures/bad-plugins, one test each: files the
/// loader must refuse with a one-line reason naming the file, and plugins
/// that load but break the contract at run time, which must fail the run
/// with one line naming the file and what was expected, and leave the run
/// marked failed in the results database.
final class PluginLoadingTests: XCTestCase {
    /// The fixtures compiled (and not_a_library.so copied) once for the class.
    private static var compiled: TemporaryFolder?

    private static let sources = ["bad_keep", "failing_create", "nan_score", "no_entry", "old_minor", "wrong_major"]

    private func fixtures() throws -> TemporaryFolder {
        if let compiled = Self.compiled { return compiled }
        let folder = try TemporaryFolder("assay-bad-plugins")
        for name in Self.sources {
            try compilePlugin(Paths.badPlugins + "/\(name).c", to: folder.file("\(name).so"))
        }
        try FileManager.default.copyItem(atPath: Paths.badPlugins + "/not_a_library.so.txt",
                                         toPath: folder.file("not_a_library.so"))
        Self.compiled = folder
        return folder
    }

    override class func tearDown() {
        compiled?.remove()
        compiled = nil
        super.tearDown()
    }

    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-plugin-loading")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    /// Loads `file` into a fresh catalog expecting a refusal; returns the
    /// message after checking it is one line naming the file and that the
    /// catalog lists the file as unusable.
    private func refusal(_ file: String, line: UInt = #line) throws -> String {
        let catalog = PluginCatalog()
        do {
            try catalog.load(file: file)
            XCTFail("\(file) loaded, expected a refusal", line: line)
            return ""
        } catch {
            let message = String(describing: error)
            XCTAssertTrue(message.contains(file), "message must name \(file): \(message)", line: line)
            XCTAssertFalse(message.contains("\n"), "message must be one line: \(message)", line: line)
            XCTAssertTrue(catalog.plugins.isEmpty, line: line)
            XCTAssertEqual(catalog.unusable.map(\.file), [file], line: line)
            return message
        }
    }

    // MARK: Load-time refusals

    func testFileThatIsNotASharedLibrary() throws {
        let file = try fixtures().file("not_a_library.so")
        let message = try refusal(file)
        XCTAssertTrue(message.contains("not a loadable shared library"), message)
    }

    func testMissingFile() throws {
        let file = scratch.file("absent.so")
        let message = try refusal(file)
        XCTAssertTrue(message.contains("no such plugin file"), message)
    }

    func testLibraryWithoutEntrySymbol() throws {
        let file = try fixtures().file("no_entry.so")
        let message = try refusal(file)
        XCTAssertTrue(message.contains("no symbol assay_plugin_entry"), message)
    }

    func testLibraryOfAnotherABIMajorVersion() throws {
        let file = try fixtures().file("wrong_major.so")
        let message = try refusal(file)
        XCTAssertTrue(message.contains("ABI 2.0"), "names the library's version: \(message)")
        XCTAssertTrue(message.contains("ABI \(ASSAY_ABI_MAJOR).\(ASSAY_ABI_MINOR)"), "names the host's version: \(message)")
        XCTAssertFalse(message.contains("future"), "must not read past the version fields: \(message)")
    }

    func testOldMinorLibraryLoads() throws {
        let file = try fixtures().file("old_minor.so")
        let catalog = PluginCatalog()
        let library = try catalog.load(file: file)
        XCTAssertEqual(library.abiMajor, 1)
        XCTAssertEqual(library.abiMinor, 0)
        XCTAssertEqual(library.plugins.map(\.id), ["old-minor"])
        let plugin = try catalog.plugin("old-minor", kind: .verifier, for: "test")
        XCTAssertEqual(plugin.kind, .verifier)
        XCTAssertEqual(plugin.file, file)
        XCTAssertTrue(catalog.unusable.isEmpty)
    }

    func testScanningTheFolderLoadsTheGoodAndRecordsTheBad() throws {
        let folder = try fixtures()
        let catalog = PluginCatalog()
        catalog.scan(folder: folder.path, matching: { $0.hasSuffix(".so") })
        XCTAssertEqual(Set(catalog.plugins.map(\.id)), ["bad-keep", "failing-create", "nan-score", "old-minor"])
        XCTAssertEqual(Set(catalog.unusable.map(\.file)),
                       Set(["no_entry.so", "not_a_library.so", "wrong_major.so"].map(folder.file)))
    }

    // MARK: Finding a plugin by id

    /// The fixture plugins of Tests/Fixtures/host-plugins: a generator and
    /// four verifiers.
    private func buildCatalog() throws -> PluginCatalog {
        let catalog = PluginCatalog()
        catalog.scan(folder: try FixturePlugins.folder(), matching: { $0.hasSuffix(".so") })
        return catalog
    }

    func testUnknownPluginIDListsTheKnownOnes() throws {
        let catalog = try buildCatalog()
        XCTAssertThrowsError(try catalog.plugin("keep-al", kind: .verifier, for: "verifier \"o\"")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.hasPrefix("verifier \"o\": "), message)
            XCTAssertTrue(message.contains("\"keep-al\""), message)
            for id in ["keep-all", "keep-none", "keep-correct", "top-correct"] { XCTAssertTrue(message.contains(id), message) }
            XCTAssertFalse(message.contains("fixture-line"), "only verifiers are offered: \(message)")
        }
    }

    func testPluginOfTheWrongKind() throws {
        let catalog = try buildCatalog()
        XCTAssertThrowsError(try catalog.plugin("fixture-line", kind: .verifier, for: "verifier \"g\"")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains("is a generator; expected a verifier"), message)
            XCTAssertTrue(message.contains("libfixture_line_generator.so"), message)
        }
    }

    func testExplicitLibraryWithoutThatPlugin() throws {
        let file = try fixtures().file("bad_keep.so")
        XCTAssertThrowsError(try PluginCatalog().plugin("oracle", kind: .verifier, library: file, for: "verifier \"x\"")) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.contains(file), message)
            XCTAssertTrue(message.contains("carries no plugin \"oracle\""), message)
            XCTAssertTrue(message.contains("bad-keep"), "lists what it offers: \(message)")
        }
    }

    // MARK: `assay plugins`

    func testPluginsCommandListsGoodPluginsAndUnusableFiles() throws {
        let folder = try fixtures()
        let result = try assay(["plugins", "--plugin-path", folder.path], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let output = lines(result.stdout)
        let listed = Set(output.filter { !$0.hasPrefix("unusable:") }.compactMap { $0.split(separator: " ").first.map(String.init) })
        for id in ["gaussian-mixture", "oracle", "noisy", "perplexity", "margin",
                   "old-minor", "failing-create", "bad-keep", "nan-score"] {
            XCTAssertTrue(listed.contains(id), "\(id) not listed:\n\(result.stdout)")
        }
        XCTAssertFalse(listed.contains("future"), "the wrong-major plugin must not be listed")
        let unusable = output.filter { $0.hasPrefix("unusable: ") }
        let expected: [(file: String, reason: String)] = [
            ("no_entry.so", "no symbol assay_plugin_entry"),
            ("not_a_library.so", "not a loadable shared library"),
            ("wrong_major.so", "ABI 2.0"),
        ]
        XCTAssertEqual(unusable.count, expected.count, result.stdout)
        for (name, reason) in expected {
            let prefix = "unusable: \(folder.file(name)): "
            XCTAssertTrue(unusable.contains { $0.hasPrefix(prefix) && $0.contains(reason) },
                          "expected a line \(prefix)…\(reason)…:\n\(result.stdout)")
        }
    }

    /// `unusable: <file>: <reason>`: the reason should not start with the
    /// file a second time.
    func testUnusableLineNamesTheFileOnce() throws {
        let folder = try fixtures()
        let result = try assay(["plugins", "--plugin-path", folder.path], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        for name in ["no_entry.so", "not_a_library.so", "wrong_major.so"] {
            let path = folder.file(name)
            guard let line = lines(result.stdout).first(where: { $0.hasPrefix("unusable: \(path)") }) else {
                XCTFail("no unusable line for \(path)")
                continue
            }
            XCTAssertEqual(line.components(separatedBy: path).count - 1, 1,
                           "the file is printed more than once: \(line)")
        }
    }

    func testPluginsCommandWithUnreadableFolder() throws {
        let missing = scratch.file("no-such-folder")
        let result = try assay(["plugins", "--plugin-path", missing], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("unusable: \(missing)"), result.stdout)
        XCTAssertTrue(result.stdout.contains("oracle"), result.stdout)
    }

    // MARK: Run-time failures, through `assay run`

    private struct FailedRun {
        var result: ProcessResult
        var message: String
        var db: String
        var configPath: String
        var configText: String
    }

    /// Runs a small experiment on the fixture task whose verifiers are
    /// keep-correct (named "oracle"), then the bad `plugin` from `library`;
    /// expects it to fail.
    private func runWithBadVerifier(_ plugin: String, library: String, line: UInt = #line) throws -> FailedRun {
        let file = try fixtures().file(library)
        let text = try FixturePlugins.config(verifiers: FixturePlugins.verifier("oracle", "keep-correct") + """
            [[verifier]]
            name = "bad"
            plugin = "\(plugin)"
            library = "\(file)"
            """)
        let configPath = try scratch.write("\(plugin).toml", text)
        let db = scratch.file("results.sqlite")
        let result = try assay(["run", configPath, "--db", db], in: scratch.path)
        XCTAssertNotEqual(result.status, 0, "the run must fail", line: line)
        let errorLines = lines(result.stderr)
        XCTAssertEqual(errorLines.count, 1, "stderr must be one line:\n\(result.stderr)", line: line)
        let message = errorLines.first ?? ""
        XCTAssertTrue(message.hasPrefix("assay: error: "), message, line: line)
        XCTAssertTrue(message.contains(file), "must name the file \(file): \(message)", line: line)
        return FailedRun(result: result, message: message, db: db, configPath: configPath, configText: text)
    }

    /// The run is in the database, marked failed with the error, with its
    /// config and plugins, and no complete result document.
    private func assertStoredAsFailed(_ run: FailedRun, errorContains expected: [String], line: UInt = #line) throws {
        let store = try ResultsStore(path: run.db)
        let runs = try store.runs()
        XCTAssertEqual(runs.count, 1, line: line)
        let summary = try XCTUnwrap(runs.first, line: line)
        XCTAssertEqual(summary.status, "failed", line: line)
        XCTAssertEqual(summary.seed, 7, line: line)
        XCTAssertNotNil(summary.error, line: line)
        for part in expected {
            XCTAssertTrue(summary.error?.contains(part) ?? false, "stored error lacks \(part): \(summary.error ?? "nil")", line: line)
        }
        let stored = try XCTUnwrap(try store.run(id: summary.id), line: line)
        XCTAssertEqual(stored.config, run.configText, line: line)
        XCTAssertNil(stored.result, "a failed run has no result document", line: line)
        let plugins = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stored.plugins.utf8)) as? [[String: Any]], line: line)
        XCTAssertEqual(plugins.compactMap { $0["role"] as? String }, ["generator", "oracle", "bad"], line: line)

        // The CLI shows it the same way.
        let listing = try assay(["results", "--db", run.db], in: scratch.path)
        XCTAssertEqual(listing.status, 0, listing.stderr, line: line)
        XCTAssertTrue(listing.stdout.contains("failed"), listing.stdout, line: line)
        let document = try assay(["results", "\(summary.id)", "--json", "--db", run.db], in: scratch.path)
        XCTAssertNotEqual(document.status, 0, "a failed run has no JSON document to show", line: line)
        XCTAssertTrue(document.stderr.hasPrefix("assay: error: "), document.stderr, line: line)
    }

    func testVerifierWhoseCreateFails() throws {
        let run = try runWithBadVerifier("failing-create", library: "failing_create.so")
        XCTAssertTrue(run.message.contains("create failed"), run.message)
        XCTAssertTrue(run.message.contains("failing-create: this plugin always refuses its config"), run.message)
        XCTAssertTrue(run.message.contains("marked failed"), run.message)
        try assertStoredAsFailed(run, errorContains: ["failing_create.so", "always refuses its config"])
    }

    func testVerifierReturningKeepValueTwo() throws {
        let run = try runWithBadVerifier("bad-keep", library: "bad_keep.so")
        XCTAssertTrue(run.message.contains("keep value 2"), run.message)
        XCTAssertTrue(run.message.contains("row 3"), "names the row: \(run.message)")
        XCTAssertTrue(run.message.contains("expected 0 or 1"), "says what was expected: \(run.message)")
        try assertStoredAsFailed(run, errorContains: ["bad_keep.so", "row 3", "expected 0 or 1"])
    }

    func testVerifierReturningNaNScore() throws {
        let run = try runWithBadVerifier("nan-score", library: "nan_score.so")
        XCTAssertTrue(run.message.lowercased().contains("nan"), run.message)
        XCTAssertTrue(run.message.contains("row 5"), "names the row: \(run.message)")
        XCTAssertTrue(run.message.contains("expected a finite number"), "says what was expected: \(run.message)")
        try assertStoredAsFailed(run, errorContains: ["nan_score.so", "row 5", "finite"])
    }

    func testOldMinorVerifierRuns() throws {
        let file = try fixtures().file("old_minor.so")
        let config = try scratch.write("old.toml", FixturePlugins.config(verifiers: """
            [[verifier]]
            name = "old"
            plugin = "old-minor"
            library = "\(file)"
            """))
        let result = try assay(["run", config, "--json", "--db", scratch.file("r.sqlite")], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try jsonObject(result.stdout)
        let old = try XCTUnwrap(entry(document, "old"))
        // It keeps every pair: the random baseline's (ϕ, ψ) = (1, 1).
        XCTAssertEqual(old["phi"] as? Double, 1)
        XCTAssertEqual(old["psi"] as? Double, 1)
        XCTAssertEqual(old["p_star"] as? Double, 0.5)
        XCTAssertEqual(old["kept"] as? Int, 4000)
    }
}
