import ArgumentParser
import AssayHost
import Foundation

struct PluginsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the plugins found, and the files that could not be used.",
        discussion: "Built in: the function verifier. Searched: --plugin-path folders, ASSAY_PLUGIN_PATH folders, then libassay_*.so beside the assay executable."
    )

    @OptionGroup var options: PluginOptions

    @Argument(help: "Plugin library files to load explicitly.")
    var files: [String] = []

    mutating func run() throws {
        options.bootstrap()
        let catalog = PluginCatalog.discover(extraFolders: options.folders)
        for file in files { _ = try? catalog.load(file: file) }
        var rows = catalog.plugins.map { [$0.id, $0.kind.rawValue, $0.version, $0.file] }
        rows.sort { $0[1] == $1[1] ? $0[0] < $1[0] : $0[1] < $1[1] }
        print(TextTable.render(header: ["id", "kind", "version", "file"], rows: rows))
        if options.verbose {
            for plugin in catalog.plugins.sorted(by: { $0.id < $1.id }) {
                print("\n\(plugin.id) \(plugin.version) (\(plugin.kind.rawValue)): \(plugin.summary)")
                for parameter in plugin.parameters {
                    let fallback = parameter.defaultJSON.map { " = \($0)" } ?? " (required or see description)"
                    print("  \(parameter.name): \(parameter.type)\(fallback)\n      \(parameter.summary)")
                }
            }
        }
        for (file, reason) in catalog.unusable {
            print("unusable: \(file): \(reason)")
        }
    }
}
