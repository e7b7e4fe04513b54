import PluginAPI
import PluginKit

private let library = PluginLibrary(OracleVerifier.self)

@_cdecl("assay_plugin_entry")
public func assayPluginEntry() -> UnsafePointer<assay_library> { library.table }
