import PluginAPI

/// One plugin as a library describes it; fields are read only as far as
/// the library's declared struct sizes reach.
public struct PluginInfo {
    public enum Kind: String { case generator, verifier }

    public var id: String
    public var version: String
    public var kind: Kind
    public var summary: String
    public var needs: assay_needs
    public var parameters: [(name: String, type: String, defaultJSON: String?, summary: String)]
    /// The library file the plugin came from.
    public var file: String
    let table: UnsafePointer<assay_plugin>
    /// Keeps the library loaded while any plugin of it is in use.
    let library: PluginLibraryHandle
}
