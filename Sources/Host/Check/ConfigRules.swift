import Foundation
import PluginAPI

/// The config rules every plugin shares: `create` accepts the config the
/// check was given and refuses it with an unknown key added, or cut short.
struct ConfigRules {
    /// A key no plugin has.
    static let unknownKey = "assay_check_unknown_key"

    let info: PluginInfo
    let configJSON: String
    let generator: GeneratorInstance?
    let threads: Int
    let book: RuleBook

    /// Checks the two refusals; both must come back ASSAY_ERROR_CONFIG.
    func checkRefusals() {
        book.watchingStdout("create") {
            refuses(withUnknownKey, rule: .unknownKeyRefused, what: "create with the unknown key \"\(Self.unknownKey)\"")
            refuses(cutShort, rule: .malformedConfigRefused, what: "create with the malformed config \(cutShort)")
        }
    }

    /// Creates the instance the other rules use, from the config as given.
    func createInstance() -> CheckedInstance? {
        let (instance, status, message) = book.watchingStdout("create") {
            CheckedInstance.create(info, configJSON: configJSON, generator: generator, threads: threads, book: book,
                                   what: "create")
        }
        if instance == nil {
            book.fail(.create, status == ASSAY_OK
                ? "create returned ASSAY_OK without an instance (expected a non-NULL *instance)"
                : "create with \(configJSON.split(whereSeparator: \.isNewline).joined(separator: " ")) failed: \(statusName(status)): \(message) (expected ASSAY_OK; give a config the plugin accepts with --config)")
        } else {
            book.check(.create, true, "")
        }
        return instance
    }

    /// The config as given with the unknown key first.
    var withUnknownKey: String {
        let text = configJSON.trimmingCharacters(in: .whitespacesAndNewlines)
        let rest = text.dropFirst().trimmingCharacters(in: .whitespacesAndNewlines)
        return "{\"\(Self.unknownKey)\": 1" + (rest == "}" ? "}" : ", " + rest)
    }

    /// An object that never closes.
    var cutShort: String { "{\"\(Self.unknownKey)\": " }

    private func refuses(_ config: String, rule: CheckRule, what: String) {
        let (instance, status, _) = CheckedInstance.create(info, configJSON: config, generator: generator, threads: threads,
                                                           book: book, what: what)
        if status == ASSAY_OK {
            instance?.destroy()
            book.fail(rule, "\(what) returned ASSAY_OK\(instance == nil ? "" : " and an instance") (expected ASSAY_ERROR_CONFIG)")
        } else {
            book.check(rule, status == ASSAY_ERROR_CONFIG,
                       "\(what) failed with \(statusName(status)) (expected ASSAY_ERROR_CONFIG)")
        }
    }
}
