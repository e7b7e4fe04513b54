import Foundation
import XCTest

/// Where the package, the build and the Python of the tests are, and how a
/// test runs a process. (HostTests has its own helpers of this kind; a test
/// target cannot share another's files, and these tests need no AssayHost.)
enum Paths {
    /// The package root: three levels up from this file.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// `.build/debug`, where `swift build` puts `assay` and the plugins.
    static let buildFolder = URL(fileURLWithPath: root + "/.build/debug").resolvingSymlinksInPath().path
    static var assay: String { buildFolder + "/assay" }
    static var include: String { root + "/Sources/PluginAPI/include" }
    static var checks: String { root + "/Tests/PythonVerifierTests/Fixtures/checks.py" }
}

/// The interpreter the python verifier is to use, as the other tests find
/// Python: $ASSAY_PYTHON (`make test` sets it to the venv's), else python3.
/// A test that needs it skips, saying why, when it cannot import numpy.
func requirePython() throws -> String {
    let python = ProcessInfo.processInfo.environment["ASSAY_PYTHON"] ?? "python3"
    let probe = try runProcess("/usr/bin/env", [python, "-c", "import numpy"])
    guard probe.status == 0 else {
        throw XCTSkip("Python '\(python)' with numpy not found (set ASSAY_PYTHON, e.g. `make venv` and .venv/bin/python): \(probe.stderr)")
    }
    return python
}

/// A folder under the system temporary folder, removed by `remove()`.
final class TemporaryFolder {
    let path: String

    init(_ label: String) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: file(name), atomically: true, encoding: .utf8)
        return file(name)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

struct MissingBuild: Error, CustomStringConvertible {
    var description: String
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` to completion, its output captured in files (no pipe
/// can fill up and stall it).
func runProcess(_ executable: String, _ arguments: [String], in folder: String? = nil,
                environment extra: [String: String] = [:]) throws -> ProcessResult {
    let scratch = try TemporaryFolder("assay-python-process")
    defer { scratch.remove() }
    let outPath = scratch.file("stdout"), errPath = scratch.file("stderr")
    FileManager.default.createFile(atPath: outPath, contents: nil)
    FileManager.default.createFile(atPath: errPath, contents: nil)
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    var environment = ProcessInfo.processInfo.environment
    environment["ASSAY_PLUGIN_PATH"] = nil
    environment["ASSAY_DB"] = nil
    for (key, value) in extra { environment[key] = value }
    process.environment = environment
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return ProcessResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
}

/// Runs the built `assay` with ASSAY_PYTHON set to `python`.
func assay(_ arguments: [String], in folder: String, python: String) throws -> ProcessResult {
    guard FileManager.default.isExecutableFile(atPath: Paths.assay) else {
        throw MissingBuild(description: "\(Paths.assay) is missing; run `swift build` first")
    }
    return try runProcess(Paths.assay, arguments, in: folder, environment: ["ASSAY_PYTHON": python])
}

/// The entry named `name` in a run document's `verifiers`.
func entry(_ document: [String: Any], _ name: String) -> [String: Any]? {
    (document["verifiers"] as? [[String: Any]])?.first { $0["name"] as? String == name }
}

func jsonObject(_ text: String) throws -> [String: Any] {
    try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], String(text.prefix(300)))
}

/// The non-empty lines of `text`.
func lines(_ text: String) -> [String] {
    text.split(separator: "\n").map(String.init)
}
