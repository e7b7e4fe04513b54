import Foundation
import PluginAPI

/// The rules on a library file as a whole: its entry point, ABI version,
/// struct sizes and whether the host's loader accepts it.
///
/// Loading is the host's (PluginCatalog, PluginLibraryHandle). The entry
/// point is then called again through the same, already loaded, library
/// to see the raw table the loader read: its fixed fields, sizes and
/// stability.
struct LibraryRules {
    let file: String
    let book: RuleBook

    /// Loads the library into `catalog`; the handle unless the loader
    /// refused it.
    func check(into catalog: PluginCatalog) -> PluginLibraryHandle? {
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        var loaded: PluginLibraryHandle?
        var refusal = ""
        book.watchingStdout("loading the library") {
            do {
                loaded = try catalog.load(file: path)
            } catch {
                refusal = String(describing: error)
            }
            checkTable(path: path)
        }
        guard let loaded else {
            book.fail(.libraryLoads, "the host's loader refused it: \(refusal)")
            return nil
        }
        book.check(.libraryLoads, true, "")
        let ids = loaded.plugins.map(\.id)
        let repeated = Set(ids.filter { id in ids.filter { $0 == id }.count > 1 })
        book.check(.idsUnique, repeated.isEmpty,
                   "the library lists \(repeated.sorted().map { "\"\($0)\"" }.joined(separator: ", ")) more than once (expected one plugin per id)")
        return loaded
    }

    /// The entry point's table, read as far as its sizes allow.
    private func checkTable(path: String) {
        // Already opened by the loader if it could be: no new load here.
        guard let handle = dlopen(path, RTLD_NOW | RTLD_NOLOAD) else {
            book.skip(.entryPoint, "the file could not be opened as a shared library")
            return
        }
        defer { dlclose(handle) }
        guard let symbol = dlsym(handle, ASSAY_PLUGIN_ENTRY_SYMBOL) else {
            book.fail(.entryPoint, "no symbol \(ASSAY_PLUGIN_ENTRY_SYMBOL) (expected the one function a plugin library exports)")
            return
        }
        let entry = unsafeBitCast(symbol, to: assay_plugin_entry_fn.self)
        guard let first = entry() else {
            book.fail(.entryPoint, "\(ASSAY_PLUGIN_ENTRY_SYMBOL) returned NULL (expected a table; it must not fail)")
            return
        }
        let second = entry()
        book.check(.entryPoint, second == first,
                   "a second call returned \(String(describing: second)), the first \(first) (expected the same static table every time)")
        let library = first.pointee
        book.check(.abiVersion, library.abi_major == UInt32(ASSAY_ABI_MAJOR),
                   "abi_major is \(library.abi_major) (expected \(ASSAY_ABI_MAJOR), this host's)")
        // Only the first three fields keep their place across major versions.
        guard library.abi_major == UInt32(ASSAY_ABI_MAJOR) else {
            book.skip(.structSizes, "ABI \(library.abi_major).\(library.abi_minor) lays its structs out in a way this host does not know")
            return
        }
        let sizes = SizeRule(minor: library.abi_minor, book: book)
        sizes.check("assay_library", Int(library.struct_size), MemoryLayout<assay_library>.stride)
        guard has(\assay_library.plugins, in: Int(library.struct_size)), let plugins = library.plugins else { return }
        for index in 0..<Int(library.plugin_count) {
            guard let plugin = plugins[index] else { continue }
            let size = Int(plugin.pointee.struct_size)
            sizes.check("plugin \(index)'s assay_plugin", size, MemoryLayout<assay_plugin>.stride)
            guard has(\assay_plugin.verifier, in: size) else { continue }
            if Int(plugin.pointee.kind) == ASSAY_KIND_VERIFIER, let calls = plugin.pointee.verifier {
                sizes.check("plugin \(index)'s assay_verifier", Int(calls.pointee.struct_size), MemoryLayout<assay_verifier>.stride)
            }
            if Int(plugin.pointee.kind) == ASSAY_KIND_GENERATOR, let calls = plugin.pointee.generator {
                sizes.check("plugin \(index)'s assay_generator", Int(calls.pointee.struct_size), MemoryLayout<assay_generator>.stride)
            }
        }
    }
}

/// struct_size is sizeof the struct as its writer compiled it: a library
/// of this host's minor version or older has this header's sizes (the
/// library, plugin and call tables have not grown since 1.0), a later one
/// at least those.
private struct SizeRule {
    let minor: UInt32
    let book: RuleBook

    func check(_ what: String, _ size: Int, _ expected: Int) {
        if minor <= UInt32(ASSAY_ABI_MINOR) {
            book.check(.structSizes, size == expected,
                       "\(what) has struct_size \(size) (expected \(expected), its sizeof in ABI 1.\(minor))")
        } else {
            book.check(.structSizes, size >= expected,
                       "\(what) has struct_size \(size) (expected at least \(expected) in ABI 1.\(minor))")
        }
    }
}
