import Foundation
import FunctionVerifier
import PluginAPI
import PythonVerifier

/// Every plugin the host can see, and every file that looked like a plugin
/// but could not be used, with the reason.
///
/// Where plugins are found, in order (the first plugin of an id wins):
/// 0. with `discover`, the plugins built into the host (file "(built-in)");
/// 1. files given explicitly (a run config's `library = "..."`);
/// 2. every shared library in the folders of `ASSAY_PLUGIN_PATH`
///    (colon-separated);
/// 3. the build's plugin folder, beside the running `assay` executable:
///    the libraries named `libassay_*.so` there.
public final class PluginCatalog {
    public private(set) var plugins: [PluginInfo] = []
    public private(set) var unusable: [(file: String, reason: String)] = []
    private var loadedFiles: [String: PluginLibraryHandle] = [:]

    public init() {}

    /// The default search: the plugins built into the host, then
    /// `ASSAY_PLUGIN_PATH`, then the build folder.
    /// `buildFolder` is where the plugin products of this build are: beside
    /// the `assay` executable, or beside libAssay.so when embedded.
    public static func discover(extraFolders: [String] = [], buildFolder: String? = PluginCatalog.buildFolder) -> PluginCatalog {
        let catalog = PluginCatalog()
        catalog.addBuiltIns()
        let environment = ProcessInfo.processInfo.environment["ASSAY_PLUGIN_PATH"] ?? ""
        for folder in extraFolders + environment.split(separator: ":").map(String.init) where !folder.isEmpty {
            catalog.scan(folder: folder, matching: { $0.hasSuffix(sharedLibrarySuffix) })
        }
        if let build = buildFolder {
            catalog.scan(folder: build, matching: { $0.hasPrefix("libassay_") && $0.hasSuffix(sharedLibrarySuffix) })
        }
        return catalog
    }

    /// The folder of the running executable, where SwiftPM puts the plugin
    /// products built with it.
    public static var buildFolder: String? {
        guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") else {
            return Bundle.main.executableURL?.deletingLastPathComponent().path
        }
        return URL(fileURLWithPath: executable).deletingLastPathComponent().path
    }

    /// The plugin tables linked into the host itself (the "function"
    /// and "python" verifiers), listed with the file "(built-in)".
    public static let builtInTables: [UnsafePointer<assay_library>] = [FunctionVerifierLibrary.table, PythonVerifierLibrary.table]

    /// Adds the built-in plugins; a table that fails its checks is recorded
    /// as unusable like a file.
    public func addBuiltIns() {
        for table in Self.builtInTables {
            do {
                let library = try PluginLibraryHandle(builtIn: table)
                for plugin in library.plugins where !plugins.contains(where: { $0.id == plugin.id }) {
                    plugins.append(plugin)
                }
            } catch {
                unusable.append(("(built-in)", String(describing: error)))
            }
        }
    }

    public func scan(folder: String, matching accept: (String) -> Bool) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            unusable.append((folder, "plugin folder cannot be read"))
            return
        }
        for name in names.sorted() where accept(name) {
            _ = try? load(file: (folder as NSString).appendingPathComponent(name))
        }
    }

    /// Loads one library by path and adds its plugins; a file that fails is
    /// recorded as unusable and the error is rethrown.
    @discardableResult
    public func load(file: String) throws -> PluginLibraryHandle {
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        if let loaded = loadedFiles[path] { return loaded }
        do {
            let library = try PluginLibraryHandle(file: path)
            loadedFiles[path] = library
            for plugin in library.plugins where !plugins.contains(where: { $0.id == plugin.id }) {
                plugins.append(plugin)
            }
            return library
        } catch {
            // Loader messages start with the file; the list names it apart.
            let message = String(describing: error)
            unusable.append((path, message.hasPrefix(path + ": ") ? String(message.dropFirst(path.count + 2)) : message))
            throw error
        }
    }

    /// The plugin `id` of `kind`, loading `library` first when given.
    public func plugin(_ id: String, kind: PluginInfo.Kind, library: String? = nil, for role: String) throws -> PluginInfo {
        if let library {
            let handle = try load(file: library)
            guard let plugin = handle.plugins.first(where: { $0.id == id }) else {
                let offered = handle.plugins.map(\.id).joined(separator: ", ")
                throw AssayError("\(role): \(library) carries no plugin \"\(id)\"; it offers: \(offered)")
            }
            return try check(plugin, kind: kind, role: role)
        }
        guard let plugin = plugins.first(where: { $0.id == id }) else {
            let known = plugins.filter { $0.kind == kind }.map(\.id).joined(separator: ", ")
            throw AssayError("\(role): no \(kind.rawValue) plugin \"\(id)\" found; known: \(known.isEmpty ? "none" : known) (see `assay plugins`)")
        }
        return try check(plugin, kind: kind, role: role)
    }

    private func check(_ plugin: PluginInfo, kind: PluginInfo.Kind, role: String) throws -> PluginInfo {
        guard plugin.kind == kind else {
            throw AssayError("\(role): plugin \"\(plugin.id)\" (\(plugin.file)) is a \(plugin.kind.rawValue); expected a \(kind.rawValue)")
        }
        return plugin
    }
}

/// How this platform's shared libraries end: what a folder of plugins holds.
#if os(macOS)
public let sharedLibrarySuffix = ".dylib"
#else
public let sharedLibrarySuffix = ".so"
#endif
