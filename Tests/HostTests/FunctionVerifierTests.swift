@testable import AssayHost
import AssayTestSupport
import Foundation
import FunctionVerifier
import XCTest

/// The built-in "function" verifier: a plain C function in a shared library,
/// named in the config by file, symbol and prototype, called through libffi.
/// The same rule (keep when y'·x[0] > 0) as a function per sample, as a
/// function per batch and as the C plugin of examples/c-verifier must score
/// exactly alike.
final class FunctionVerifierTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-function-verifier")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    private var fixture: String { Paths.root + "/Tests/Fixtures/function-verifiers/keep_sign.c" }

    /// The checkers, compiled with `cc -shared` (no Assay header involved).
    private func buildChecker() throws -> String {
        let output = scratch.file("libkeep_sign.so")
        let result = try runProcess("/usr/bin/env",
                                    ["cc", "-std=c99", "-Wall", "-Wextra", "-Werror", "-shared", "-fPIC", fixture, "-o", output])
        XCTAssertEqual(result.status, 0, "cc failed: \(result.stderr)")
        return output
    }

    /// examples/c-verifier built from a copy, as CExampleTests does.
    private func buildCSign() throws -> String {
        let copy = scratch.file("c-verifier")
        try FileManager.default.copyItem(atPath: Paths.root + "/examples/c-verifier", toPath: copy)
        try? FileManager.default.removeItem(atPath: copy + "/libc_sign.so")
        let make = try runProcess("/usr/bin/env", ["make", "-C", copy, "INCLUDE=\(Paths.include)", "CFLAGS=-Werror"])
        XCTAssertEqual(make.status, 0, "make failed:\n\(make.stdout)\n\(make.stderr)")
        return copy + "/libc_sign.so"
    }

    private func functionVerifier(name: String, library: String, symbol: String?, signature: String) -> String {
        """
        [[verifier]]
        name = "\(name)"
        plugin = "function"
        function_library = "\(library)"
        \(symbol.map { "symbol = \"\($0)\"" } ?? "")
        signature = "\(signature)"

        """
    }

    // MARK: Same rule, same numbers

    func testFunctionVerifiersMatchTheCPluginExactly() throws {
        let checker = try buildChecker()
        let cSign = try buildCSign()
        let verifiers = functionVerifier(name: "per-sample", library: checker, symbol: "keep_sign",
                                         signature: "int keep_sign(const double *x, int d, double y)")
            + functionVerifier(name: "per-batch", library: checker, symbol: "keep_sign_batch",
                               signature: "void keep_sign_batch(const double *x, const double *y, size_t n, size_t d, uint8_t *keep)")
            // No symbol: the prototype's name is used; a double result and a long count.
            + functionVerifier(name: "per-sample-double", library: checker, symbol: nil,
                               signature: "double keep_sign_double(const double*, long, double);")
            + """
            [[verifier]]
            name = "c-sign"
            plugin = "c-sign"
            library = "\(cSign)"
            coordinate = 0
            """
        // On the fixture task (y' = 1 exactly when x > 0.6) the rule keeps the
        // pairs with x > 0.6, about 40 % of the pool, every one of them good.
        let path = try scratch.write("run.toml", FixturePlugins.config(seed: 11, pool: 9000, chunk: 2048, verifiers: verifiers))
        let result = try assay(["run", path, "--json", "--db", scratch.file("r.sqlite")], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let document = try jsonObject(result.stdout)
        let reference = try XCTUnwrap(entry(document, "c-sign"), result.stdout)
        let kept = try XCTUnwrap(reference["kept"] as? Int)
        XCTAssertTrue(kept > 3300 && kept < 3900, "kept \(kept) of 9000")
        XCTAssertEqual(reference["psi"] as? Double, 0, "no bad pair has x > 0.6")
        for name in ["per-sample", "per-batch", "per-sample-double"] {
            let verifier = try XCTUnwrap(entry(document, name), result.stdout)
            XCTAssertEqual(verifier["plugin"] as? String, "function")
            for key in ["phi", "psi", "p_star"] {
                let value = try XCTUnwrap(verifier[key] as? Double, "\(name) \(key)")
                XCTAssertEqual(value, try XCTUnwrap(reference[key] as? Double), "\(name) \(key)")
            }
            XCTAssertEqual(verifier["kept"] as? Int, kept, name)
        }
    }

    // MARK: Errors before the run

    /// Runs a config whose only verifier is `verifier` and expects a failure
    /// with one line on stderr and nothing on stdout.
    private func failingRun(_ verifier: String, line: UInt = #line) throws -> String {
        let path = try scratch.write("bad.toml", FixturePlugins.config(pool: 2000, verifiers: verifier))
        let result = try assay(["run", path, "--json", "--db", scratch.file("r.sqlite")], in: scratch.path)
        XCTAssertNotEqual(result.status, 0, line: line)
        XCTAssertEqual(result.stdout, "", "nothing is run or printed", line: line)
        let message = lines(result.stderr)
        XCTAssertEqual(message.count, 1, result.stderr, line: line)
        XCTAssertTrue(result.stderr.hasPrefix("assay: error: "), result.stderr, line: line)
        return result.stderr
    }

    func testUnsupportedSignatureIsOneLineListingTheForms() throws {
        let checker = try buildChecker()
        let message = try failingRun(functionVerifier(name: "bad", library: checker, symbol: "keep_sign",
                                                      signature: "float f(char *s)"))
        XCTAssertTrue(message.contains("unsupported signature \"float f(char *s)\""), message)
        XCTAssertTrue(message.contains("R f(const double *x, N d, double y)"), message)
        XCTAssertTrue(message.contains("const double *y, N n, N d, uint8_t *keep"), message)
    }

    func testMissingSymbolNamesSymbolAndFile() throws {
        let checker = try buildChecker()
        let message = try failingRun(functionVerifier(name: "missing", library: checker, symbol: "no_such_checker",
                                                      signature: "int f(const double *x, int d, double y)"))
        XCTAssertTrue(message.contains("no_such_checker"), message)
        XCTAssertTrue(message.contains(checker), message)
    }

    func testMissingLibraryNamesTheFile() throws {
        let missing = scratch.file("libnothing.so")
        let message = try failingRun(functionVerifier(name: "gone", library: missing, symbol: "keep_sign",
                                                      signature: "int keep_sign(const double *x, int d, double y)"))
        XCTAssertTrue(message.contains(missing), message)
        XCTAssertTrue(message.contains("function_library"), message)
    }

    func testLibraryThatIsNotASharedLibrary() throws {
        let text = try scratch.write("libtext.so", "not a library\n")
        let message = try failingRun(functionVerifier(name: "text", library: text, symbol: "keep_sign",
                                                      signature: "int keep_sign(const double *x, int d, double y)"))
        XCTAssertTrue(message.contains(text) && message.contains("cannot be loaded"), message)
    }

    func testBatchStatusIsAnError() throws {
        let checker = try buildChecker()
        let message = try failingRun(functionVerifier(
            name: "fails", library: checker, symbol: nil,
            signature: "int failing_batch(const double *x, const double *y, int n, int d, unsigned char *keep)"))
        XCTAssertTrue(message.contains("failing_batch returned 7"), message)
    }

    // MARK: Listing

    func testPluginsListsTheBuiltInFunctionVerifier() throws {
        let result = try assay(["plugins"], in: scratch.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        let row = lines(result.stdout).map { $0.split(separator: " ").map(String.init) }.first { $0.first == "function" }
        XCTAssertEqual(row.map { Array($0.dropFirst()) }, ["verifier", "1.0.0", "(built-in)"], result.stdout)
    }

    func testDiscoverRegistersTheBuiltInFirst() throws {
        let catalog = PluginCatalog.discover()
        let plugin = try catalog.plugin("function", kind: .verifier, for: "test")
        XCTAssertEqual(plugin.file, "(built-in)")
        XCTAssertEqual(plugin.parameters.map(\.name), ["function_library", "symbol", "signature"])
        XCTAssertEqual(catalog.plugins.first?.id, "function")
    }

    // MARK: The signature parser

    func testParserAcceptsTheSupportedForms() throws {
        let cases: [(String, FunctionSignature)] = [
            ("int keep(const double *x, int d, double y)",
             FunctionSignature(name: "keep", form: .perSample(result: .int, count: .int))),
            ("  _Bool  k ( const double*x , size_t , double ) ; ",
             FunctionSignature(name: "k", form: .perSample(result: .bool, count: .size))),
            ("bool k(const double *, int64_t n, double label)",
             FunctionSignature(name: "k", form: .perSample(result: .cppBool, count: .int64))),
            ("double score(const double *x, long d, double y)",
             FunctionSignature(name: "score", form: .perSample(result: .double, count: .long))),
            ("void f(const double *x, const double *y, size_t n, size_t d, uint8_t *keep)",
             FunctionSignature(name: "f", form: .batch(status: false, count: .size))),
            ("int f(const double *, const double *, int, int, unsigned char *)",
             FunctionSignature(name: "f", form: .batch(status: true, count: .int))),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try FunctionSignature.parse(text), expected, text)
        }
    }

    func testParserRefusesEverythingElse() {
        let refused = [
            "", "keep", "int (const double *x, int d, double y)", "float f(char *s)",
            "int f(void)", "int f()", "int f(const double *x, int d)",
            "void f(const double *x, int d, double y)",           // void only per batch
            "int f(double *x, int d, double y)",                  // x must be const
            "int f(const double *x, unsigned d, double y)",
            "int f(const double *x, int d, float y)",
            "double f(const double *x, const double *y, size_t n, size_t d, uint8_t *keep)",
            "void f(const double *x, const double *y, size_t n, int d, uint8_t *keep)",  // one count type
            "void f(const double *x, const double *y, size_t n, size_t d, double *keep)",
            "int f(const double *x, int d, double y) { return 1; }",
            "int f(const double x[], int d, double y)",
            "int f(const double *x, int d, double y",
            "int 2f(const double *x, int d, double y)",
        ]
        for text in refused {
            XCTAssertThrowsError(try FunctionSignature.parse(text), "accepted: \(text)") { error in
                XCTAssertTrue(error is FunctionSignature.Unsupported, "\(text): \(error)")
            }
        }
    }
}
