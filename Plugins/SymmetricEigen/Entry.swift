import PluginAPI
import PluginKit

private let library = PluginLibrary(SymmetricEigenGenerator.self)

@_cdecl("assay_plugin_entry")
public func assayPluginEntry() -> UnsafePointer<assay_library> { library.table }
