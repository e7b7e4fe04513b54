import PluginAPI
import PluginKit

private let library = PluginLibrary(GaussianMixtureGenerator.self)

@_cdecl("assay_plugin_entry")
public func assayPluginEntry() -> UnsafePointer<assay_library> { library.table }
