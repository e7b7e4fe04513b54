import ConfigKit
import Foundation

/// A plugin as a run config names it: `plugin` is the id, `library` an
/// optional explicit file, everything else is the plugin's own config.
public struct PluginSpec: Equatable {
    public var name: String
    public var plugin: String
    public var library: String?
    public var configJSON: String
}

extension PluginSpec {
    /// The keys of a plugin table that are the host's, not the plugin's.
    static let hostKeys: Set<String> = ["name", "plugin", "library"]

    /// A `[generator]` or `[[verifier]]` table: `plugin`, optional `name`
    /// (default: the plugin id) and `library` (relative to the working
    /// folder), and everything else as the plugin's JSON config.
    public init(_ table: ConfigReader) throws {
        plugin = try table.string("plugin")
        name = try table.string("name", default: plugin)
        library = try table.has("library") ? table.string("library") : nil
        if let relative = library, !relative.hasPrefix("/") {
            library = FileManager.default.currentDirectoryPath + "/" + relative
        }
        configJSON = try table.json(excluding: Self.hostKeys)
    }
}
