import Foundation
import PluginAPI

typealias Factory = (ConfigReader, HostServices) throws -> AnyObject

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

/// The object behind a verifier's C instance pointer: the Swift verifier,
/// and what the wrappers learned in prepare to check each batch against and
/// to call the right protocol without a cast per batch.
final class ExportedVerifier {
    /// What verify calls, fixed by the selection mode.
    enum Judge {
        case rule(any RuleVerifier)
        case scoring(any ScoringVerifier)
    }

    let plugin: any VerifierPlugin
    let id: String
    /// Set in prepare (which never runs concurrently with verify); read-only
    /// afterwards.
    private(set) var task: TaskShape?
    private(set) var judge: Judge?

    init(_ plugin: any VerifierPlugin, id: String) {
        self.plugin = plugin
        self.id = id
    }

    func prepared(for task: TaskShape) throws {
        self.task = task
        judge = try resolve(plugin.selection)
    }

    /// The protocol that serves `selection`; an error if the type lacks it
    /// or the fraction is out of range.
    func resolve(_ selection: Selection) throws -> Judge {
        switch selection {
        case .rule:
            guard let rule = plugin as? any RuleVerifier else {
                throw PluginError.failed("\(id): selection is RULE but \(type(of: plugin)) is not a RuleVerifier")
            }
            return .rule(rule)
        case .topFraction(let fraction):
            guard let scoring = plugin as? any ScoringVerifier else {
                throw PluginError.failed("\(id): selection is TOP_FRACTION but \(type(of: plugin)) is not a ScoringVerifier")
            }
            guard fraction > 0, fraction <= 1 else {
                throw PluginError.failed("\(id): selection fraction is \(fraction); expected a number in (0, 1]")
            }
            return .scoring(scoring)
        }
    }
}

/// The object behind a generator's C instance pointer.
final class ExportedGenerator {
    let plugin: any GeneratorPlugin
    /// Column counts reported by prepare, to size and check the buffers of
    /// later calls; nil before prepare.
    var shape: (xCols: Int, yCols: Int)?
    init(_ plugin: any GeneratorPlugin) { self.plugin = plugin }
}

func instance<T: AnyObject>(_ raw: UnsafeMutableRawPointer?, as _: T.Type) throws -> T {
    guard let raw else { throw PluginError.argument("instance must not be NULL") }
    return Unmanaged<T>.fromOpaque(raw).takeUnretainedValue()
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
        let parsed = try ConfigReader(json: config.map { String(cString: $0) } ?? "{}", origin: "\(id) config")
        let made = try factory(parsed, HostServices(host))
        try parsed.finish()
        out.pointee = Unmanaged.passRetained(made).toOpaque()
    }
}

let destroyTrampoline: @convention(c) (UnsafeMutableRawPointer?) -> Void = { raw in
    guard let raw else { return }
    Unmanaged<AnyObject>.fromOpaque(raw).release()
}
