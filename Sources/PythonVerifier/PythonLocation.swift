import Foundation

/// Which Python the verifier embeds: the interpreter whose environment it
/// takes (sys.path, prefix, executable: a venv's site-packages included)
/// and the shared library it loads.
///
/// The interpreter is the config's `python`, else `$ASSAY_PYTHON`, else
/// `python3` on PATH. The library is the config's `python_library`, else
/// `$ASSAY_PYTHON_LIBRARY`, else the one that interpreter was built with
/// (sysconfig's LIBDIR with INSTSONAME or LDLIBRARY). The interpreter is
/// asked once, as a subprocess: it is not needed when the library is given
/// and none can be found (the library's own sys.path is used then).
struct PythonLocation: Equatable {
    /// The interpreter's report; nil when none was found and the library
    /// was given explicitly.
    var environment: Environment?
    var library: String

    /// What the interpreter says about itself: `setup` of the bridge reads
    /// this same JSON.
    struct Environment: Equatable {
        var executable: String
        var version: String
        var json: String
    }

    static func resolve(python: String?, library: String?, origin: String) throws -> PythonLocation {
        let process = ProcessInfo.processInfo.environment
        let named = nonEmpty(python) ?? nonEmpty(process["ASSAY_PYTHON"])
        let givenLibrary = nonEmpty(library) ?? nonEmpty(process["ASSAY_PYTHON_LIBRARY"])
        let interpreter: String?
        if let named {
            guard let found = executable(named) else {
                let source = nonEmpty(python) != nil ? "\"python\"" : "$ASSAY_PYTHON"
                throw PythonFailure("\(origin): \(source) names \(named), which is not an executable file")
            }
            interpreter = found
        } else {
            interpreter = executable("python3")
        }
        guard let interpreter else {
            guard let givenLibrary else {
                throw PythonFailure(
                    "\(origin): no Python found: python3 is not on PATH; set \"python\" or $ASSAY_PYTHON to an interpreter, or \"python_library\" or $ASSAY_PYTHON_LIBRARY to a libpython3.x.so")
            }
            return PythonLocation(environment: nil, library: try checkedLibrary(givenLibrary, origin: origin))
        }
        let report = try ask(interpreter, origin: origin)
        if let givenLibrary {
            return PythonLocation(environment: report.environment, library: try checkedLibrary(givenLibrary, origin: origin))
        }
        guard let built = report.libraries.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw PythonFailure(
                "\(origin): \(interpreter) (Python \(report.environment.version)) has no shared libpython (looked for \(report.libraries.isEmpty ? "none: built without --enable-shared" : report.libraries.joined(separator: ", "))); set \"python_library\" or $ASSAY_PYTHON_LIBRARY")
        }
        return PythonLocation(environment: report.environment, library: built)
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text
    }

    /// A path with a slash as it is (made absolute); a bare name from PATH.
    private static func executable(_ name: String) -> String? {
        if name.contains("/") {
            let path = URL(fileURLWithPath: name).standardizedFileURL.path
            return FileManager.default.isExecutableFile(atPath: path) ? path : nil
        }
        let folders = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
        for folder in folders {
            let path = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    private static func checkedLibrary(_ path: String, origin: String) throws -> String {
        guard path.contains("/") else { return path }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard FileManager.default.fileExists(atPath: absolute) else {
            throw PythonFailure("\(origin): python library \(absolute): no such file")
        }
        return absolute
    }

    /// Printed by the interpreter: its environment, and the libraries it
    /// was built with, most specific first. `python -c` puts "" (the
    /// current folder) first on sys.path, so a module name imports as
    /// `python3 -c "import name"` would.
    private static let query = #"""
import json, os, sys, sysconfig
v = sysconfig.get_config_var
libdir = v("LIBDIR") or ""
names = [n for n in (v("INSTSONAME"), v("LDLIBRARY")) if n and not n.endswith(".a")]
folders = [libdir] + ([os.path.join(libdir, v("MULTIARCH"))] if v("MULTIARCH") else [])
libraries = [os.path.join(f, n) for n in names for f in folders]
print(json.dumps({"path": sys.path, "prefix": sys.prefix, "exec_prefix": sys.exec_prefix,
                  "executable": sys.executable, "version": "%d.%d.%d" % sys.version_info[:3],
                  "libraries": libraries}))
"""#

    private static func ask(_ interpreter: String, origin: String) throws -> (environment: Environment, libraries: [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = ["-c", query]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PythonFailure("\(origin): \(interpreter) cannot be run (\(error.localizedDescription))")
        }
        // The report is small; reading to the end before waiting keeps a
        // chatty sitecustomize from filling the pipe.
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
              let line = text.split(separator: "\n").last,
              let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let executable = object["executable"] as? String, let version = object["version"] as? String,
              let libraries = object["libraries"] as? [String] else {
            let reason = String(decoding: complaint, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "no output"
            throw PythonFailure("\(origin): \(interpreter) did not describe itself (exit \(process.terminationStatus): \(reason))")
        }
        return (Environment(executable: executable, version: version, json: String(line)), libraries)
    }
}
