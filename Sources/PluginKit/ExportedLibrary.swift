import Foundation
import PluginAPI

/// The constant `assay_library` table a shared library exports for its
/// Swift plugins. A plugin library keeps one in a global and returns `entry`
/// from its exported entry point, beside the plugin:
///
///     private let exports = ExportedLibrary(OracleVerifier.self)
///     @_cdecl("assay_plugin_entry") public func assayPluginEntry() -> UnsafeRawPointer { exports.entry }
///
/// The table and its strings are allocated once and never freed: they must
/// live as long as the library stays loaded.
public final class ExportedLibrary {
    public let table: UnsafePointer<assay_library>

    /// `table`, as `assay_plugin_entry` returns it (a `const assay_library *`
    /// to C), so that the entry point needs no `import PluginAPI`.
    public var entry: UnsafeRawPointer { UnsafeRawPointer(table) }

    public init(_ types: Any.Type...) {
        let plugins = UnsafeMutablePointer<UnsafePointer<assay_plugin>?>.allocate(capacity: types.count)
        for (index, type) in types.enumerated() {
            let plugin: UnsafePointer<assay_plugin>
            if let verifier = type as? any VerifierPlugin.Type {
                let id = verifier.descriptor.id
                plugin = Self.describe(verifier.descriptor, kind: ASSAY_KIND_VERIFIER,
                                       factory: { try ExportedVerifier(verifier.init(config: $0, host: $1), id: id) })
            } else if let generator = type as? any GeneratorPlugin.Type {
                plugin = Self.describe(generator.descriptor, kind: ASSAY_KIND_GENERATOR,
                                       factory: { try ExportedGenerator(generator.init(config: $0, host: $1)) })
            } else {
                preconditionFailure("\(type) is neither a verifier (RuleVerifier, ScoringVerifier) nor a GeneratorPlugin")
            }
            plugins[index] = plugin
        }
        let library = UnsafeMutablePointer<assay_library>.allocate(capacity: 1)
        library.initialize(to: assay_library(
            abi_major: UInt32(ASSAY_ABI_MAJOR),
            abi_minor: UInt32(ASSAY_ABI_MINOR),
            struct_size: UInt32(MemoryLayout<assay_library>.size),
            plugin_count: UInt32(types.count),
            plugins: UnsafePointer(plugins)
        ))
        table = UnsafePointer(library)
    }

    private static func describe(_ descriptor: PluginDescriptor, kind: Int, factory: @escaping Factory) -> UnsafePointer<assay_plugin> {
        let parameters = UnsafeMutablePointer<assay_param>.allocate(capacity: max(descriptor.parameters.count, 1))
        for (index, parameter) in descriptor.parameters.enumerated() {
            parameters[index] = assay_param(
                name: permanent(parameter.name),
                type: permanent(parameter.type),
                default_json: parameter.defaultJSON.map(permanent),
                description: permanent(parameter.summary)
            )
        }
        let plugin = UnsafeMutablePointer<assay_plugin>.allocate(capacity: 1)
        plugin.initialize(to: assay_plugin(
            struct_size: UInt32(MemoryLayout<assay_plugin>.size),
            kind: assay_plugin_kind(kind),
            id: permanent(descriptor.id),
            version: permanent(descriptor.version),
            description: permanent(descriptor.summary),
            needs: descriptor.needs.rawValue,
            params: UnsafePointer(parameters),
            param_count: UInt64(descriptor.parameters.count),
            create: createTrampoline,
            destroy: destroyTrampoline,
            generator: kind == ASSAY_KIND_GENERATOR ? generatorTable : nil,
            verifier: kind == ASSAY_KIND_VERIFIER ? verifierTable : nil
        ))
        factories.register(UnsafeRawPointer(plugin), factory)
        return UnsafePointer(plugin)
    }
}

/// A C string that lives until the process ends.
private func permanent(_ text: String) -> UnsafePointer<CChar> {
    UnsafePointer(strdup(text)!)
}
