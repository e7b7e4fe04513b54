import AssayTestSupport
import Foundation
import XCTest

/// Plugins that break the header's contract in ways the fixtures of
/// Tests/Fixtures/bad-plugins do not cover: NULL where the header promises
/// an array or a call. The host must refuse them with one line naming the
/// file, never crash. Each case runs in an `assay` subprocess, so that a
/// crash fails the test instead of the whole test run.
final class MalformedPluginTests: XCTestCase {
    private var scratch: TemporaryFolder!

    override func setUpWithError() throws {
        scratch = try TemporaryFolder("assay-malformed")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    /// A RULE verifier that keeps everything, with `params`/`param_count`
    /// and its verify call given as C expressions.
    private func plugin(id: String, params: String, paramCount: Int, verify: String) throws -> String {
        let source = """
            #include "assay_plugin.h"

            static int token;

            static assay_status m_create(const assay_plugin *plugin, const char *config_json,
                                         const assay_host *host, void **instance, assay_error *error)
            {
                (void)plugin; (void)config_json; (void)host; (void)error;
                *instance = &token;
                return ASSAY_OK;
            }

            static void m_destroy(void *instance) { (void)instance; }

            static assay_status m_prepare(void *instance, const assay_task *task, assay_random *rng,
                                          assay_error *error)
            {
                (void)instance; (void)task; (void)rng; (void)error;
                return ASSAY_OK;
            }

            static assay_status m_selection(void *instance, assay_selection *out, assay_error *error)
            {
                (void)instance; (void)error;
                out->mode = ASSAY_SELECT_RULE;
                out->reserved = 0;
                out->fraction = 1.0;
                return ASSAY_OK;
            }

            static assay_status m_verify(void *instance, const assay_batch *batch, assay_random *rng,
                                         uint8_t *keep, double *score, assay_error *error)
            {
                uint64_t i;
                (void)instance; (void)rng; (void)score; (void)error;
                for (i = 0; i < batch->rows; i++)
                    keep[i] = 1;
                return ASSAY_OK;
            }

            static const assay_verifier calls = {
                sizeof(assay_verifier), 0, m_prepare, m_selection, \(verify),
            };

            static const assay_plugin plugin = {
                sizeof(assay_plugin), ASSAY_KIND_VERIFIER, "\(id)", "1.0.0", "malformed on purpose", 0,
                \(params), \(paramCount), m_create, m_destroy, NULL, &calls,
            };

            static const assay_plugin *const plugins[] = {&plugin};

            static const assay_library library = {
                ASSAY_ABI_MAJOR, ASSAY_ABI_MINOR, sizeof(assay_library), 1, plugins,
            };

            ASSAY_EXPORT const assay_library *assay_plugin_entry(void) { return &library; }

            /* Keeps the compiler quiet when verify is replaced by NULL. */
            ASSAY_EXPORT void *malformed_unused(void) { return (void *)m_verify; }
            """
        let file = try scratch.write("\(id).c", source)
        let library = scratch.file("\(id).so")
        try compilePlugin(file, to: library)
        return library
    }

    /// Fails once, with the runtime's message, when `assay` crashed
    /// (Foundation reports a signal as the termination status: SIGILL 4,
    /// SIGSEGV 11); returns whether it did.
    private func crashed(_ result: ProcessResult, line: UInt = #line) -> Bool {
        let trap = result.stderr.split(separator: "\n").first { $0.contains("Fatal error") || $0.contains("crashed") }
        guard trap != nil || ![0, 1].contains(result.status) else { return false }
        XCTFail("assay crashed (status \(result.status)): \(trap.map(String.init) ?? String(result.stderr.prefix(300)))",
                line: line)
        return true
    }

    /// The header: `params` has `param_count` entries. A plugin declaring
    /// three parameters and no array must be refused, not dereferenced.
    func testPluginDeclaringParametersWithoutAnArray() throws {
        let library = try plugin(id: "null-params", params: "NULL", paramCount: 3, verify: "m_verify")
        let result = try assay(["plugins", library], in: scratch.path)
        if crashed(result) { return }
        XCTAssertEqual(result.status, 0, result.stderr.prefix(600).description)
        XCTAssertTrue(lines(result.stdout).contains { $0.hasPrefix("unusable: \(library)") },
                      "expected an unusable line for \(library):\n\(result.stdout)")
        XCTAssertTrue(result.stdout.contains("oracle"), "the other plugins are still listed:\n\(result.stdout)")
    }

    /// A verifier table whose verify call is NULL: refused when loaded or
    /// when the run starts, with one line naming the file, not a crash that
    /// leaves the run "running" in the database.
    func testVerifierWithoutAVerifyCall() throws {
        let library = try plugin(id: "null-verify", params: "NULL", paramCount: 0, verify: "NULL")
        let config = try scratch.write("run.toml", FixturePlugins.config(verifiers: """
            [[verifier]]
            name = "nv"
            plugin = "null-verify"
            library = "\(library)"
            """))
        let db = scratch.file("r.sqlite")
        let result = try assay(["run", config, "--db", db], in: scratch.path)
        let listing = try assay(["results", "--db", db], in: scratch.path)
        XCTAssertFalse(listing.stdout.contains("running"), "no run may be left running:\n\(listing.stdout)")
        if crashed(result) { return }
        XCTAssertNotEqual(result.status, 0)
        let errorLines = lines(result.stderr)
        XCTAssertEqual(errorLines.count, 1, result.stderr.prefix(600).description)
        XCTAssertTrue(errorLines.first?.hasPrefix("assay: error: ") ?? false, result.stderr.prefix(600).description)
        XCTAssertTrue(errorLines.first?.contains(library) ?? false, result.stderr.prefix(600).description)
    }
}
