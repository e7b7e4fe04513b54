import Foundation
import PluginAPI

typealias Factory = (PluginConfig, HostServices) throws -> AnyObject

/// Maps each `assay_plugin` table this library built to the Swift type that
/// makes its instances: the C create call only tells us which table it came
/// through.
final class FactoryRegistry {
    private var factories: [UnsafeRawPointer: Factory] = [:]
    private let lock = NSLock()

    func register(_ plugin: UnsafeRawPointer, _ factory: @escaping Factory) {
        lock.withLock { factories[plugin] = factory }
    }

    func factory(for plugin: UnsafeRawPointer) -> Factory? {
        lock.withLock { factories[plugin] }
    }
}

let factories = FactoryRegistry()

final class VerifierInstance {
    let plugin: any VerifierPlugin
    init(_ plugin: any VerifierPlugin) { self.plugin = plugin }
}

final class GeneratorInstance {
    let plugin: any GeneratorPlugin
    /// Column counts reported by prepare, to size the buffers of later calls.
    var shape = (xCols: 0, yCols: 0)
    init(_ plugin: any GeneratorPlugin) { self.plugin = plugin }
}

func instance<T: AnyObject>(_ raw: UnsafeMutableRawPointer?, as _: T.Type) -> T {
    Unmanaged<T>.fromOpaque(raw!).takeUnretainedValue()
}

func text(_ raw: UnsafePointer<CChar>?) -> String {
    raw.map { String(cString: $0) } ?? ""
}

let createTrampoline: @convention(c) (
    UnsafePointer<assay_plugin>?, UnsafePointer<CChar>?, UnsafePointer<assay_host>?,
    UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<assay_error>?
) -> assay_status = { plugin, config, host, out, error in
    reporting(error) {
        guard let plugin, let host, let out else { throw PluginError.argument("create: plugin, host and instance pointers must not be NULL") }
        guard let factory = factories.factory(for: UnsafeRawPointer(plugin)) else {
            throw PluginError.argument("create: unknown plugin table")
        }
        let id = text(plugin.pointee.id)
        let parsed = try PluginConfig(json: config.map { String(cString: $0) } ?? "{}", origin: "\(id) config")
        let made = try factory(parsed, HostServices(host))
        try parsed.finish()
        out.pointee = Unmanaged.passRetained(made).toOpaque()
    }
}

let destroyTrampoline: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
    guard let raw else { return }
    Unmanaged<AnyObject>.fromOpaque(raw).release()
}
