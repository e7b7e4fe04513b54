import Foundation
import PluginAPI

/// The rules on what a plugin's descriptor says about it: read from the
/// table as the host's loader listed it (PluginInfo).
struct DescriptorRules {
    static let parameterTypes: Set<String> = ["number", "integer", "string", "boolean", "number[]", "table"]

    let info: PluginInfo
    let book: RuleBook

    func check() {
        book.check(.idWellFormed, !info.id.isEmpty && info.id == info.id.lowercased(),
                   "id \"\(info.id)\" (expected a non-empty, lower-case id)")
        book.check(.versionWellFormed, !info.version.isEmpty, "version is empty (expected the plugin's own, e.g. \"1.2.0\")")
        book.check(.descriptionOneLine, isOneLine(info.summary),
                   "description \(quoted(info.summary)) (expected one line)")
        for parameter in info.parameters {
            let name = parameter.name.isEmpty ? "a parameter" : "parameter \"\(parameter.name)\""
            book.check(.paramsDescribed, !parameter.name.isEmpty, "a parameter has no name (expected the config key)")
            book.check(.paramsDescribed, Self.parameterTypes.contains(parameter.type),
                       "\(name) has type \"\(parameter.type)\" (expected one of \(Self.parameterTypes.sorted().joined(separator: ", ")))")
            if let text = parameter.defaultJSON {
                let parsed = try? JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed)
                book.check(.paramsDescribed, parsed != nil, "\(name) has the default \(quoted(text)) (expected JSON text or NULL)")
            }
            book.check(.paramsDescribed, isOneLine(parameter.summary),
                       "\(name) has the description \(quoted(parameter.summary)) (expected one line)")
        }
        let plugin = info.table.pointee
        switch info.kind {
        case .generator:
            book.check(.kindTable, plugin.verifier == nil, "a generator with a verifier table (expected NULL)")
            book.check(.kindTable, plugin.needs == 0, "a generator declaring needs \(plugin.needs) (expected 0: generators get log only)")
            book.check(.reservedZero, plugin.generator.pointee.reserved == 0,
                       "assay_generator.reserved is \(plugin.generator.pointee.reserved) (expected 0)")
        case .verifier:
            book.check(.kindTable, plugin.generator == nil, "a verifier with a generator table (expected NULL)")
            book.check(.reservedZero, plugin.verifier.pointee.reserved == 0,
                       "assay_verifier.reserved is \(plugin.verifier.pointee.reserved) (expected 0)")
        }
    }

    private func isOneLine(_ text: String) -> Bool {
        !text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
    }

    private func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
    }
}
