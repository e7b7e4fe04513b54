import CPython
import Foundation

/// The one embedded interpreter of the process, started by the first
/// python verifier and kept until the process ends (CPython cannot be
/// restarted cleanly, and extension modules such as numpy cannot be
/// unloaded): every later python verifier uses it, so they must agree on
/// the library.
final class PythonRuntime {
    let location: PythonLocation
    /// `_assay_python_bridge` (PythonBridge.source).
    let bridge: PythonObject
    /// True when Assay runs inside a Python process and uses its
    /// interpreter (then the location's environment is not applied).
    let embedded: Bool
    /// Py_GetVersion(), for logs.
    let version: String

    private static let lock = NSLock()
    private static var shared: PythonRuntime?

    private init(location: PythonLocation, bridge: PythonObject, embedded: Bool, version: String) {
        self.location = location
        self.bridge = bridge
        self.embedded = embedded
        self.version = version
    }

    /// The process's interpreter, started on first use from `location`.
    static func start(_ location: PythonLocation, origin: String) throws -> PythonRuntime {
        try lock.withLock {
            if let running = shared {
                guard running.embedded || running.location.library == location.library else {
                    throw PythonFailure(
                        "\(origin): Python is already running from \(running.location.library) in this process; this verifier asks for \(location.library) (one Python per process)")
                }
                return running
            }
            var message = [CChar](repeating: 0, count: PythonObject.capacity)
            guard assay_python_start(location.library, &message, message.count) == 0 else {
                throw PythonFailure("\(origin): \(String(cString: message))")
            }
            let embedded = assay_python_was_running() != 0
            let version = String(cString: assay_python_version())
            if !embedded, let environment = location.environment {
                let running = version.split(separator: " ").first.map(String.init) ?? version
                guard majorMinor(running) == majorMinor(environment.version) else {
                    throw PythonFailure(
                        "\(origin): \(location.library) is Python \(running) but \(environment.executable) is Python \(environment.version); give the library of that interpreter")
                }
            }
            let bridge: PythonObject
            do {
                bridge = try PythonObject.checked { message in
                    assay_python_module(PythonBridge.moduleName, PythonBridge.source, message, PythonObject.capacity)
                }
                if !embedded, let environment = location.environment {
                    _ = try bridge.attribute("setup").call([environment.json])
                }
            } catch let failure as PythonFailure {
                throw PythonFailure("\(origin): the python bridge did not start: \(failure.message)")
            }
            let runtime = PythonRuntime(location: location, bridge: bridge, embedded: embedded, version: version)
            shared = runtime
            return runtime
        }
    }

    private static func majorMinor(_ version: String) -> String {
        version.split(separator: ".").prefix(2).joined(separator: ".")
    }
}
