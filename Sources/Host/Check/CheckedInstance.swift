import Logging
import PluginAPI

/// An instance the check makes itself, straight through the plugin's
/// `create`, so that it sees the status and the error buffer of every
/// attempt (PluginInstance turns them into a thrown message at once). Its
/// host table is the host's own (HostServicesTable), answering from the
/// check's generator.
final class CheckedInstance {
    let info: PluginInfo
    let raw: UnsafeMutableRawPointer
    private let services: HostServicesTable

    private init(info: PluginInfo, raw: UnsafeMutableRawPointer, services: HostServicesTable) {
        self.info = info
        self.raw = raw
        self.services = services
    }

    private var destroyed = false

    deinit {
        destroy()
    }

    /// Calls `destroy` now (once), so that the check can watch the call.
    func destroy() {
        guard !destroyed else { return }
        destroyed = true
        info.table.pointee.destroy(raw)
    }

    /// Calls `create` with `configJSON`; the instance when it returned
    /// ASSAY_OK with one, else nil, with the status and message either way.
    static func create(_ info: PluginInfo, configJSON: String, generator: GeneratorInstance?, threads: Int,
                       book: RuleBook, what: String) -> (instance: CheckedInstance?, status: assay_status, message: String) {
        let services = HostServicesTable(
            needs: info.needs,
            context: ServiceContext(logger: Logger(label: "assay.check.\(info.id)"), generator: generator),
            threads: threads)
        var raw: UnsafeMutableRawPointer?
        let (status, message) = book.call(what) { error in
            configJSON.withCString { info.table.pointee.create(info.table, $0, services.table, &raw, error) }
        }
        guard status == ASSAY_OK, let raw else { return (nil, status, message) }
        return (CheckedInstance(info: info, raw: raw, services: services), status, message)
    }
}
