import ArgumentParser
import AssayHost
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check a plugin library against the rules of the ABI header (like scikit-learn's check_estimator).",
        discussion: """
            Loads PLUGIN_FILE with the host's loader and runs the rules of assay_plugin.h against every \
            plugin it carries (or only --plugin): entry point, ABI version and struct sizes; ids, versions \
            and descriptions; create refusing an unknown key and malformed JSON with ASSAY_ERROR_CONFIG; \
            error messages one line and NUL-terminated; nothing written to standard output; verify keep \
            bits in {0, 1} or finite scores, a fraction in (0, 1], the same bits for the same batch and \
            stream, from several threads at once and on a one-row batch; a generator's draws and labels \
            of the declared shape, finite and deterministic, similarities in [0, 1], log-likelihoods deterministic, fit making a model and forget dropping it. \
            docs/ABI.md lists them \
            ("Checking a plugin: assay check").

            Verifiers are judged on a pool of 6 batches of 256 rows made by the host's own pool code from \
            a generator: --generator if given, else the library's own first generator, else \
            gaussian-mixture from the plugin path (built beside assay), with --generator-config or {}. \
            The zero-row batch is not tried: the header says a batch has at least one row.

            Prints "check <subject>" before each library or plugin, then one line per rule: \
            "pass  rule", "FAIL  rule: what happened (expected ...)", or "skip  rule: why it could not be \
            checked". Exits non-zero when any rule fails. A plugin that crashes takes the check with it.
            """
    )

    @OptionGroup var options: PluginOptions

    @Argument(help: ArgumentHelp("The plugin library to check (a .so built against assay_plugin.h).", valueName: "PLUGIN_FILE"))
    var file: String?

    @Flag(name: .customLong("list-rules"), help: "List the rules with what each asks, and exit.")
    var listRules = false

    @Option(help: ArgumentHelp("The config every checked plugin's create receives: a JSON object, or a TOML file of its keys (default {}).",
                               valueName: "JSON_OR_TOML_FILE"))
    var config: String?

    @Option(help: ArgumentHelp("Check only the plugin with this id.", valueName: "ID"))
    var plugin: String?

    @Option(help: ArgumentHelp("The generator whose pool verifiers are judged on (default: the library's own, else gaussian-mixture).",
                               valueName: "ID"))
    var generator: String?

    @Option(name: .customLong("generator-config"),
            help: ArgumentHelp("The pool generator's config: a JSON object, or a TOML file (default {}).", valueName: "JSON_OR_TOML_FILE"))
    var generatorConfig: String?

    @Option(help: "The seed every stream of the check derives from.")
    var seed: UInt64 = 1

    mutating func run() throws {
        options.bootstrap()
        if listRules {
            for rule in PluginCheck.rules { print("\(rule.name)\n    \(rule.summary)") }
            return
        }
        guard let file else { throw ValidationError("give the plugin library to check (PLUGIN_FILE), or --list-rules") }
        var check = PluginCheck(file: file)
        check.pluginID = plugin
        check.generatorID = generator
        // A verifier-only library is judged on the shipped Gaussian mixture.
        check.fallbackGeneratorID = "gaussian-mixture"
        check.pluginFolders = options.folders
        check.seed = seed
        let failures: Int
        do {
            if let config { check.configJSON = try PluginCheck.configJSON(file: config) }
            if let generatorConfig { check.generatorConfigJSON = try PluginCheck.configJSON(file: generatorConfig) }
            failures = try check.run { line in
                print(line)
                fflush(stdout)
            }
        } catch {
            throw fail(error)
        }
        print(failures == 0 ? "all rules pass" : "\(failures) rule\(failures == 1 ? "" : "s") failed")
        if failures > 0 { throw ExitCode.failure }
    }
}
