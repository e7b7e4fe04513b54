import Foundation
import PluginAPI

/// A loaded plugin library. It stays mapped until the process ends: plugin
/// tables and their strings are static data of the library, and unloading
/// a library with live Swift metadata is not safe.
public final class PluginLibraryHandle {
    public let file: String
    public let abiMajor: UInt32
    public let abiMinor: UInt32
    public private(set) var plugins: [PluginInfo] = []
    /// The dlopen handle; nil for a table built into the host.
    private let handle: UnsafeMutableRawPointer?

    /// Opens `file`, checks its ABI version and reads its plugin table.
    public convenience init(file: String) throws {
        guard FileManager.default.fileExists(atPath: file) else {
            throw AssayError("\(file): no such plugin file")
        }
        guard let handle = dlopen(file, RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "unknown reason"
            throw AssayError("\(file): not a loadable shared library (\(Self.shorten(reason, file: file)))")
        }
        guard let symbol = dlsym(handle, ASSAY_PLUGIN_ENTRY_SYMBOL) else {
            throw AssayError("\(file): no symbol \(ASSAY_PLUGIN_ENTRY_SYMBOL); expected a library built against assay_plugin.h")
        }
        let entry = unsafeBitCast(symbol, to: assay_plugin_entry_fn.self)
        guard let library = entry() else {
            throw AssayError("\(file): \(ASSAY_PLUGIN_ENTRY_SYMBOL) returned NULL; expected a plugin table")
        }
        try self.init(table: library, file: file, handle: handle)
    }

    /// Reads a plugin table linked into the host itself (no file to open),
    /// with the same checks as a loaded library; `file` names it in lists
    /// and messages.
    public convenience init(builtIn table: UnsafePointer<assay_library>, file: String = "(built-in)") throws {
        try self.init(table: table, file: file, handle: nil)
    }

    /// Checks the table's ABI version and reads its plugins.
    private init(table library: UnsafePointer<assay_library>, file: String, handle: UnsafeMutableRawPointer?) throws {
        self.file = file
        self.handle = handle
        abiMajor = library.pointee.abi_major
        abiMinor = library.pointee.abi_minor
        guard abiMajor == UInt32(ASSAY_ABI_MAJOR) else {
            throw AssayError("\(file): plugin ABI \(abiMajor).\(abiMinor), but this host speaks ABI \(ASSAY_ABI_MAJOR).\(ASSAY_ABI_MINOR); rebuild the plugin against a matching assay_plugin.h")
        }
        let size = Int(library.pointee.struct_size)
        guard has(\assay_library.plugins, in: size) else {
            throw AssayError("\(file): plugin table is \(size) bytes, too small for ABI \(abiMajor).\(abiMinor)")
        }
        let count = Int(library.pointee.plugin_count)
        guard count == 0 || library.pointee.plugins != nil else {
            throw AssayError("\(file): plugin table lists \(count) plugins but no array")
        }
        plugins = try (0..<count).map { index in
            guard let table = library.pointee.plugins[index] else {
                throw AssayError("\(file): plugin \(index) of \(count) is NULL")
            }
            return try Self.describe(table, file: file, library: self)
        }
    }

    private static func describe(_ table: UnsafePointer<assay_plugin>, file: String, library: PluginLibraryHandle) throws -> PluginInfo {
        let plugin = table.pointee
        let size = Int(plugin.struct_size)
        guard has(\assay_plugin.verifier, in: size) else {
            throw AssayError("\(file): plugin descriptor is \(size) bytes, too small for ABI 1.0")
        }
        guard let rawID = plugin.id, let rawVersion = plugin.version, plugin.create != nil, plugin.destroy != nil else {
            throw AssayError("\(file): plugin descriptor lacks an id, a version, create or destroy")
        }
        let id = String(cString: rawID)
        let kind: PluginInfo.Kind
        let missing: [String]
        switch Int(plugin.kind) {
        case ASSAY_KIND_GENERATOR where plugin.generator != nil:
            kind = .generator
            missing = missingCalls(of: plugin.generator.pointee)
        case ASSAY_KIND_VERIFIER where plugin.verifier != nil:
            kind = .verifier
            missing = missingCalls(of: plugin.verifier.pointee)
        default:
            throw AssayError("\(file): plugin \(id) has kind \(plugin.kind) without its matching call table; expected a generator or a verifier")
        }
        guard missing.isEmpty else {
            throw AssayError("\(file): plugin \(id) leaves \(missing.joined(separator: ", ")) NULL; expected every call of a \(kind.rawValue) table")
        }
        guard plugin.param_count == 0 || plugin.params != nil else {
            throw AssayError("\(file): plugin \(id) declares \(plugin.param_count) parameters but no array")
        }
        let parameters = (0..<Int(plugin.param_count)).map { index in
            let parameter = plugin.params[index]
            return (name: string(parameter.name), type: string(parameter.type),
                    defaultJSON: parameter.default_json.map { String(cString: $0) },
                    summary: string(parameter.description))
        }
        return PluginInfo(id: id, version: String(cString: rawVersion), kind: kind,
                          summary: string(plugin.description), needs: plugin.needs,
                          parameters: parameters, file: file, table: table, library: library)
    }

    /// The calls of a verifier table that are NULL or beyond its size.
    private static func missingCalls(of table: assay_verifier) -> [String] {
        let size = Int(table.struct_size)
        return [("prepare", table.prepare == nil || !has(\assay_verifier.prepare, in: size)),
                ("selection", table.selection == nil || !has(\assay_verifier.selection, in: size)),
                ("verify", table.verify == nil || !has(\assay_verifier.verify, in: size))]
            .filter(\.1).map(\.0)
    }

    /// The calls of a generator table that are NULL or beyond its size.
    private static func missingCalls(of table: assay_generator) -> [String] {
        let size = Int(table.struct_size)
        return [("prepare", table.prepare == nil || !has(\assay_generator.prepare, in: size)),
                ("draw", table.draw == nil || !has(\assay_generator.draw, in: size)),
                ("label", table.label == nil || !has(\assay_generator.label, in: size)),
                ("similarity", table.similarity == nil || !has(\assay_generator.similarity, in: size)),
                ("log_likelihood", table.log_likelihood == nil || !has(\assay_generator.log_likelihood, in: size)),
                ("fit", table.fit == nil || !has(\assay_generator.fit, in: size)),
                ("forget", table.forget == nil || !has(\assay_generator.forget, in: size)),
                ("task_vector", table.task_vector == nil || !has(\assay_generator.task_vector, in: size))]
            .filter(\.1).map(\.0)
    }

    /// dlerror repeats the path; keep the reason only.
    private static func shorten(_ reason: String, file: String) -> String {
        reason.replacingOccurrences(of: file + ": ", with: "")
    }
}

/// Whether a struct written with `size` bytes covers `field` entirely.
func has<Root, Value>(_ field: KeyPath<Root, Value>, in size: Int) -> Bool {
    guard let offset = MemoryLayout<Root>.offset(of: field) else { return false }
    return size >= offset + MemoryLayout<Value>.size
}

func string(_ raw: UnsafePointer<CChar>?) -> String {
    raw.map { String(cString: $0) } ?? ""
}
