import AssayHost
import Foundation
import PluginAPI

/// What an `assay_session *` points to: a plugin catalog of its own, and C
/// copies of the strings the accessors hand out, kept until the session is
/// freed so that every pointer returned stays valid that long.
final class EmbedSession {
    let catalog: PluginCatalog
    /// Never waited on: a call that finds it taken reports the session busy
    /// (another thread, or a progress callback re-entering its own run).
    let lock = NSLock()
    /// id, kind, version, file of each plugin of the catalog, in its order.
    private(set) var pluginStrings: [[UnsafeMutablePointer<CChar>]] = []
    /// "file: reason" of each unusable file of the catalog.
    private(set) var unusableStrings: [UnsafeMutablePointer<CChar>] = []

    /// Looks where `assay` looks: built-ins, ASSAY_PLUGIN_PATH, then the plugin
    /// products beside libAssay.so.
    init() {
        catalog = PluginCatalog.discover(buildFolder: Self.libraryFolder)
        synchronize()
    }

    deinit {
        for strings in pluginStrings { strings.forEach { free($0) } }
        unusableStrings.forEach { free($0) }
    }

    /// The folder of the image this code is linked into (libAssay.so), as
    /// the dynamic loader knows it: `assay` uses its executable's folder,
    /// but an embedder's executable is python3 or someone's tool.
    static var libraryFolder: String? {
        // Glibc's Swift module leaves out the GNU extension dladdr; look it
        // up as a C function. Dl_info is four pointers, the file name first.
        typealias DLAddr = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?) -> Int32
        guard let symbol = dlsym(nil, "dladdr") else { return nil }
        var info: (UnsafePointer<CChar>?, UnsafeRawPointer?, UnsafePointer<CChar>?, UnsafeRawPointer?) = (nil, nil, nil, nil)
        let found = withUnsafeMutableBytes(of: &info) { unsafeBitCast(symbol, to: DLAddr.self)(#dsohandle, $0.baseAddress) }
        guard found != 0, let name = info.0 else { return nil }
        return URL(fileURLWithPath: String(cString: name)).resolvingSymlinksInPath().deletingLastPathComponent().path
    }

    /// Copies the strings of plugins and unusable files the catalog gained
    /// since the last call; the catalog only ever appends.
    func synchronize() {
        for plugin in catalog.plugins.dropFirst(pluginStrings.count) {
            pluginStrings.append([plugin.id, plugin.kind.rawValue, plugin.version, plugin.file].map { (text: String) in strdup(text)! })
        }
        for (file, reason) in catalog.unusable.dropFirst(unusableStrings.count) {
            // Most reasons are AssayErrors that already start with the file.
            unusableStrings.append(strdup(reason.hasPrefix(file + ":") ? reason : "\(file): \(reason)")!)
        }
    }
}

/// Runs `body` with the session behind `pointer`, holding its lock, and
/// turns NULL, a busy session and thrown errors into a status.
func withSession(_ pointer: OpaquePointer?, _ error: UnsafeMutablePointer<assay_host_error>?, fallback: Int,
                 _ body: (EmbedSession) throws -> Void) -> assay_host_status {
    reporting(error, fallback: fallback) {
        guard let pointer else { throw EmbedFailure.argument("session is NULL: expected one from assay_session_create") }
        let session = Unmanaged<EmbedSession>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
        guard session.lock.try() else {
            throw EmbedFailure(ASSAY_HOST_ERROR_BUSY, "session is in use (by another thread, or from its own progress callback); a session serves one thread at a time")
        }
        defer {
            session.synchronize()
            session.lock.unlock()
        }
        try body(session)
    }
}

/// What `body` reads from the session behind `pointer`, or `otherwise` for
/// a NULL or busy session: for the accessors, which have no error to fill.
func peek<Value>(_ pointer: OpaquePointer?, otherwise: Value, _ body: (EmbedSession) -> Value) -> Value {
    guard let pointer else { return otherwise }
    let session = Unmanaged<EmbedSession>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    guard session.lock.try() else { return otherwise }
    defer { session.lock.unlock() }
    return body(session)
}

func cString(_ raw: UnsafePointer<CChar>?, _ name: String) throws -> String {
    guard let raw else { throw EmbedFailure.argument("\(name) is NULL: expected a NUL-terminated string") }
    return String(cString: raw)
}

// MARK: - The C calls

@_cdecl("assay_session_create")
public func assaySessionCreate(_ error: UnsafeMutablePointer<assay_host_error>?) -> OpaquePointer? {
    // Discovery records unusable files instead of failing, and memory
    // exhaustion is not reported by Swift: nothing here can fail today, but
    // the signature leaves room for a session that can.
    OpaquePointer(Unmanaged.passRetained(EmbedSession()).toOpaque())
}

@_cdecl("assay_session_free")
public func assaySessionFree(_ pointer: OpaquePointer?) {
    guard let pointer else { return }
    Unmanaged<EmbedSession>.fromOpaque(UnsafeRawPointer(pointer)).release()
}

@_cdecl("assay_session_load_plugin")
public func assaySessionLoadPlugin(_ pointer: OpaquePointer?, _ path: UnsafePointer<CChar>?,
                                   _ error: UnsafeMutablePointer<assay_host_error>?) -> assay_host_status {
    withSession(pointer, error, fallback: ASSAY_HOST_ERROR_PLUGIN) { session in
        try session.catalog.load(file: try cString(path, "path"))
    }
}

@_cdecl("assay_session_add_plugin_folder")
public func assaySessionAddPluginFolder(_ pointer: OpaquePointer?, _ folder: UnsafePointer<CChar>?,
                                        _ error: UnsafeMutablePointer<assay_host_error>?) -> assay_host_status {
    withSession(pointer, error, fallback: ASSAY_HOST_ERROR_PLUGIN) { session in
        let path = try cString(folder, "folder")
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue,
              FileManager.default.isReadableFile(atPath: path) else {
            throw EmbedFailure(ASSAY_HOST_ERROR_PLUGIN, "\(path): not a readable folder; expected a folder of plugin libraries (*\(sharedLibrarySuffix))")
        }
        session.catalog.scan(folder: path, matching: { $0.hasSuffix(sharedLibrarySuffix) })
    }
}

@_cdecl("assay_session_plugin_count")
public func assaySessionPluginCount(_ pointer: OpaquePointer?) -> Int {
    peek(pointer, otherwise: 0) { $0.pluginStrings.count }
}

/// Field `field` (0 id, 1 kind, 2 version, 3 file) of plugin `index`.
private func pluginField(_ pointer: OpaquePointer?, _ index: Int, _ field: Int) -> UnsafePointer<CChar>? {
    peek(pointer, otherwise: nil) { session in
        session.pluginStrings.indices.contains(index) ? UnsafePointer(session.pluginStrings[index][field]) : nil
    }
}

@_cdecl("assay_session_plugin_id")
public func assaySessionPluginID(_ pointer: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    pluginField(pointer, index, 0)
}

@_cdecl("assay_session_plugin_kind")
public func assaySessionPluginKind(_ pointer: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    pluginField(pointer, index, 1)
}

@_cdecl("assay_session_plugin_version")
public func assaySessionPluginVersion(_ pointer: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    pluginField(pointer, index, 2)
}

@_cdecl("assay_session_plugin_file")
public func assaySessionPluginFile(_ pointer: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    pluginField(pointer, index, 3)
}

@_cdecl("assay_session_unusable_count")
public func assaySessionUnusableCount(_ pointer: OpaquePointer?) -> Int {
    peek(pointer, otherwise: 0) { $0.unusableStrings.count }
}

@_cdecl("assay_session_unusable")
public func assaySessionUnusable(_ pointer: OpaquePointer?, _ index: Int) -> UnsafePointer<CChar>? {
    peek(pointer, otherwise: nil) { session in
        session.unusableStrings.indices.contains(index) ? UnsafePointer(session.unusableStrings[index]) : nil
    }
}
