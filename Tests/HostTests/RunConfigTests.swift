@testable import AssayHost
import AssayTestSupport
import Foundation
import XCTest

/// Run configs: the fields a valid TOML file yields, the pass-through of
/// plugin keys as JSON, and one-line errors naming the file and field.
final class RunConfigTests: XCTestCase {
    private let valid = """
        seed = 11
        threads = 3

        [pool]
        size = 50_000
        chunk = 4096

        [test]
        size = 20_000

        [retrain]
        n = [1000, 100, 1000, 300]

        [generator]
        plugin = "gaussian-mixture"
        d = 20
        tau = 0.25
        labels = "sample"

        [generator.models.strong]
        n0 = 5000

        [[verifier]]
        name = "noisy-0.1"
        plugin = "noisy"
        p_noise = 0.1

        [[verifier]]
        plugin = "oracle"

        [[verifier]]
        name = "mine"
        plugin = "c-sign"
        library = "/opt/plugins/libc_sign.so"
        coordinate = 3
        margin = 0.5
        """

    private func parse(_ text: String, path: String = "exp.toml") throws -> RunConfig {
        try RunConfig.parse(text, path: path)
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    /// Parses `text` expecting an error; returns its message after checking
    /// it is one line naming `path`.
    private func error(_ text: String, path: String = "exp.toml",
                       file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            _ = try parse(text, path: path)
            XCTFail("expected an error", file: file, line: line)
            return ""
        } catch {
            let message = String(describing: error)
            XCTAssertFalse(message.contains("\n"), "error must be one line: \(message)", file: file, line: line)
            XCTAssertTrue(message.contains(path), "error must name the file \(path): \(message)", file: file, line: line)
            return message
        }
    }

    // MARK: Valid configs

    func testValidConfigFields() throws {
        let config = try parse(valid)
        XCTAssertEqual(config.seed, 11)
        XCTAssertEqual(config.threads, 3)
        XCTAssertEqual(config.poolSize, 50_000)
        XCTAssertEqual(config.chunkSize, 4096)
        XCTAssertEqual(config.testSize, 20_000)
        XCTAssertEqual(config.retrainSizes, [100, 300, 1000], "sorted, without duplicates")
        XCTAssertEqual(config.path, "exp.toml")
        XCTAssertEqual(config.source, valid)

        XCTAssertEqual(config.generator.plugin, "gaussian-mixture")
        XCTAssertEqual(config.generator.name, "gaussian-mixture")
        XCTAssertNil(config.generator.library)

        XCTAssertEqual(config.verifiers.map(\.name), ["noisy-0.1", "oracle", "mine"])
        XCTAssertEqual(config.verifiers.map(\.plugin), ["noisy", "oracle", "c-sign"])
        XCTAssertEqual(config.verifiers[2].library, "/opt/plugins/libc_sign.so")
        XCTAssertNil(config.verifiers[0].library)
    }

    func testDefaultsWhenOptionalKeysAreAbsent() throws {
        let config = try parse("""
            [pool]
            size = 10
            [retrain]
            n = [5]
            [generator]
            plugin = "g"
            [[verifier]]
            plugin = "oracle"
            """)
        XCTAssertEqual(config.seed, 1)
        XCTAssertEqual(config.threads, ProcessInfo.processInfo.activeProcessorCount)
        XCTAssertEqual(config.chunkSize, 8192)
        XCTAssertEqual(config.testSize, 100_000)
        XCTAssertEqual(config.verifiers.first?.configJSON, "{}")
    }

    func testPluginKeysArePassedThroughAsJSON() throws {
        let config = try parse(valid)
        let noisy = try json(config.verifiers[0].configJSON)
        XCTAssertEqual(noisy as NSDictionary, ["p_noise": 0.1] as NSDictionary)

        let oracle = try json(config.verifiers[1].configJSON)
        XCTAssertTrue(oracle.isEmpty, "\(oracle)")

        let mine = try json(config.verifiers[2].configJSON)
        XCTAssertEqual(mine as NSDictionary, ["coordinate": 3, "margin": 0.5] as NSDictionary)
        for hostKey in ["name", "plugin", "library"] {
            XCTAssertNil(mine[hostKey], "\(hostKey) is the host's, not the plugin's")
        }

        let generator = try json(config.generator.configJSON)
        XCTAssertEqual(generator["d"] as? Int, 20)
        XCTAssertEqual(generator["tau"] as? Double, 0.25)
        XCTAssertEqual(generator["labels"] as? String, "sample")
        XCTAssertEqual((generator["models"] as? [String: Any]).map { $0 as NSDictionary },
                       ["strong": ["n0": 5000]] as NSDictionary)
        XCTAssertNil(generator["plugin"])
    }

    func testRelativeLibraryIsTakenFromTheWorkingFolder() throws {
        let config = try parse("""
            [pool]
            size = 10
            [retrain]
            n = [5]
            [generator]
            plugin = "g"
            [[verifier]]
            plugin = "c-sign"
            library = "lib/libc_sign.so"
            """)
        XCTAssertEqual(config.verifiers[0].library, FileManager.default.currentDirectoryPath + "/lib/libc_sign.so")
    }

    func testDefaultConfigLoads() throws {
        let config = try RunConfig.load(path: Paths.defaultConfig)
        XCTAssertEqual(config.seed, 1)
        XCTAssertEqual(config.poolSize, 400_000)
        XCTAssertEqual(config.testSize, 100_000)
        XCTAssertEqual(config.retrainSizes, [100, 1_000, 10_000, 30_000])
        XCTAssertEqual(config.generator.plugin, "gaussian-mixture")
        let names = config.verifiers.map(\.name)
        XCTAssertEqual(names.first, "oracle")
        XCTAssertTrue(names.contains("noisy-0.25"))
        let noisy = try json(try XCTUnwrap(config.verifiers.first { $0.name == "noisy-0.25" }).configJSON)
        XCTAssertEqual(noisy["p_noise"] as? Double, 0.25)
    }

    // MARK: Errors

    func testMissingPoolSize() {
        let message = error(valid.replacingOccurrences(of: "size = 50_000\n", with: ""))
        XCTAssertTrue(message.contains("[pool]"), message)
        XCTAssertTrue(message.contains("\"size\""), message)
        XCTAssertTrue(message.contains("missing"), message)
    }

    func testMissingPoolTable() {
        let message = error("""
            [retrain]
            n = [5]
            [generator]
            plugin = "g"
            [[verifier]]
            plugin = "oracle"
            """)
        XCTAssertTrue(message.contains("[pool]") && message.contains("\"size\""), message)
    }

    func testUnknownTopLevelKey() {
        let message = error("sedd = 4\n" + valid)
        XCTAssertTrue(message.contains("unknown key \"sedd\""), message)
    }

    func testUnknownKeyInPool() {
        let message = error(valid.replacingOccurrences(of: "chunk = 4096", with: "chunks = 4096"))
        XCTAssertTrue(message.contains("[pool]") && message.contains("\"chunks\""), message)
    }

    func testWrongTypeOfSeed() {
        let message = error(valid.replacingOccurrences(of: "seed = 11", with: "seed = \"x\""))
        XCTAssertTrue(message.contains("\"seed\""), message)
        XCTAssertTrue(message.contains("integer"), message)
    }

    func testWrongTypeOfPoolSize() {
        let message = error(valid.replacingOccurrences(of: "size = 50_000", with: "size = 1.5"))
        XCTAssertTrue(message.contains("[pool]") && message.contains("\"size\""), message)
    }

    func testOutOfRangeThreads() {
        let message = error(valid.replacingOccurrences(of: "threads = 3", with: "threads = 0"))
        XCTAssertTrue(message.contains("\"threads\""), message)
    }

    func testEmptyRetrainGrid() {
        let message = error(valid.replacingOccurrences(of: "n = [1000, 100, 1000, 300]", with: "n = []"))
        XCTAssertTrue(message.contains("[retrain]") && message.contains("\"n\""), message)
    }

    func testDuplicateVerifierNames() {
        let message = error(valid + """

            [[verifier]]
            name = "noisy-0.1"
            plugin = "noisy"
            p_noise = 0.3
            """)
        XCTAssertTrue(message.contains("\"noisy-0.1\""), message)
        XCTAssertTrue(message.contains("twice") || message.contains("unique"), message)
    }

    func testDuplicateDefaultNames() {
        // Two unnamed verifiers of one plugin both take its id as name.
        let message = error(valid + "\n[[verifier]]\nplugin = \"oracle\"\n")
        XCTAssertTrue(message.contains("\"oracle\""), message)
    }

    func testBaselineNamesAreReserved() {
        let message = error(valid + "\n[[verifier]]\nname = \"random\"\nplugin = \"oracle\"\n")
        XCTAssertTrue(message.contains("\"random\""), message)
    }

    func testNoVerifiers() {
        let withoutVerifiers = valid.components(separatedBy: "[[verifier]]")[0]
        let message = error(withoutVerifiers)
        XCTAssertTrue(message.contains("verifier"), message)
    }

    func testVerifierWithoutPlugin() {
        let message = error(valid + "\n[[verifier]]\nname = \"nameless\"\n")
        XCTAssertTrue(message.contains("\"plugin\""), message)
        XCTAssertTrue(message.contains("[[verifier]] #4"), "names which verifier table: \(message)")
    }

    func testTOMLSyntaxErrorReportsFileLineAndColumn() {
        // Line 4 is "size = = 3": the second "=" (column 8) is the error.
        let text = "seed = 1\n\n[pool]\nsize = = 3\n"
        let message = error(text, path: "broken.toml")
        let pattern = #"^broken\.toml:4:\d+: "#
        XCTAssertNotNil(message.range(of: pattern, options: .regularExpression),
                        "expected broken.toml:<line>:<col>: ..., got: \(message)")
    }

    func testTOMLSyntaxErrorOnLaterLine() {
        let text = valid + "\n[[verifier]\nname = \"x\"\n"
        let errorLine = valid.split(separator: "\n", omittingEmptySubsequences: false).count + 1
        let message = error(text)
        XCTAssertTrue(message.hasPrefix("exp.toml:\(errorLine):"), "expected line \(errorLine): \(message)")
    }

    func testUnreadableFile() {
        do {
            _ = try RunConfig.load(path: "/nonexistent/folder/run.toml")
            XCTFail("expected an error")
        } catch {
            let message = String(describing: error)
            XCTAssertTrue(message.contains("/nonexistent/folder/run.toml"), message)
            XCTAssertFalse(message.contains("\n"), message)
        }
    }
}
