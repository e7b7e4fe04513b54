import Logging
import PluginAPI
import PluginKit

/// The parts every instance shares: creation from a JSON config, error
/// reporting that names the plugin and its file, and destruction.
public class PluginInstance {
    public let info: PluginInfo
    /// How the run refers to this instance ("oracle", "noisy-0.25").
    let name: String
    let raw: UnsafeMutableRawPointer
    /// How many threads one call may keep busy: the run's `threads`,
    /// handed to the plugin in its `assay_host` table.
    let threads: Int
    private let services: HostServicesTable

    init(info: PluginInfo, name: String, configJSON: String, generator: GeneratorInstance?, threads: Int) throws {
        self.info = info
        self.name = name
        self.threads = threads
        let logger = Logger(label: "assay.plugin.\(name)")
        let services = HostServicesTable(needs: info.needs, context: ServiceContext(logger: logger, generator: generator),
                                         threads: threads)
        self.services = services
        var error = assay_error()
        var instance: UnsafeMutableRawPointer?
        let status = configJSON.withCString { config in
            info.table.pointee.create(info.table, config, services.table, &instance, &error)
        }
        guard status == ASSAY_OK, let instance else {
            throw AssayError("\(Self.label(info, name)): create failed: \(status == ASSAY_OK ? "returned no instance" : error.text)")
        }
        raw = instance
    }

    deinit {
        info.table.pointee.destroy(raw)
    }

    /// Calls into the plugin and throws its message, prefixed with who and
    /// what, unless it returns ASSAY_OK.
    func call(_ what: String, _ body: (UnsafeMutablePointer<assay_error>) -> assay_status) throws {
        var error = assay_error()
        let status = body(&error)
        guard status == ASSAY_OK else {
            throw failure("\(what): \(error.text)")
        }
    }

    func failure(_ message: String) -> AssayError {
        AssayError("\(Self.label(info, name)): \(message)")
    }

    private static func label(_ info: PluginInfo, _ name: String) -> String {
        let who = name == info.id ? info.id : "\(name) (\(info.id))"
        return "\(info.kind.rawValue) \(who) [\(info.file)]"
    }
}
