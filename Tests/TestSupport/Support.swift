import Foundation
import XCTest

/// Where things are, and how the tests run the built `assay` binary and a C
/// compiler. Nothing here is a test.
public enum Paths {
    /// The package root: three levels up from Tests/TestSupport/Support.swift.
    public static let root: String = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .path
    }()

    /// `.build/debug`, with its symlink resolved: where `swift build` puts
    /// `assay` and the plugin libraries.
    public static let buildFolder: String = {
        let link = root + "/.build/debug"
        let resolved = URL(fileURLWithPath: link).resolvingSymlinksInPath().path
        return resolved
    }()

    public static var assay: String { buildFolder + "/assay" }
    public static var include: String { root + "/Sources/PluginAPI/include" }
    public static var badPlugins: String { root + "/Tests/Fixtures/bad-plugins" }
    public static var defaultConfig: String { root + "/configs/default.toml" }

    public static let pluginLibraries = [
        "libassay_gaussian_mixture.so", "libassay_oracle.so", "libassay_noisy.so",
        "libassay_perplexity.so", "libassay_margin.so",
    ]
}

public struct MissingBuild: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}

/// Fails the test (and throws) unless `swift build` has produced the CLI
/// and every plugin library.
public func requireBuild(file: StaticString = #filePath, line: UInt = #line) throws {
    var missing: [String] = []
    if !FileManager.default.isExecutableFile(atPath: Paths.assay) { missing.append(Paths.assay) }
    for library in Paths.pluginLibraries where !FileManager.default.fileExists(atPath: Paths.buildFolder + "/" + library) {
        missing.append(Paths.buildFolder + "/" + library)
    }
    guard missing.isEmpty else {
        let message = "missing build products (\(missing.joined(separator: ", "))); run `swift build` first"
        XCTFail(message, file: file, line: line)
        throw MissingBuild(description: message)
    }
}

/// A folder under the system temporary folder, removed by `remove()`.
public final class TemporaryFolder {
    public let path: String

    public init(_ label: String = "assay-host-tests") throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    public func file(_ name: String) -> String { path + "/" + name }

    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

public struct ProcessResult {
    public var status: Int32
    public var stdout: String
    public var stderr: String
    public var seconds: Double
}

/// Runs `executable` with `arguments` to completion, its output captured in
/// files (no pipe can fill up and stall it). The environment is the test's
/// own minus the variables that would point the host elsewhere.
public func runProcess(_ executable: String, _ arguments: [String], in folder: String? = nil,
                environment extra: [String: String] = [:]) throws -> ProcessResult {
    let scratch = try TemporaryFolder("assay-process")
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

    let start = Date()
    try process.run()
    process.waitUntilExit()
    let seconds = Date().timeIntervalSince(start)
    try out.close()
    try err.close()
    return ProcessResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "",
                         seconds: seconds)
}

/// Runs the built `assay` CLI.
public func assay(_ arguments: [String], in folder: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
    try requireBuild()
    return try runProcess(Paths.assay, arguments, in: folder, environment: environment)
}

/// Compiles one C source into a shared library with the flags the ABI
/// header documents; fails the test with the compiler's output otherwise.
public func compilePlugin(_ source: String, to output: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let result = try runProcess("/usr/bin/env",
                                ["cc", "-std=c99", "-shared", "-fPIC", "-I", Paths.include, source, "-o", output])
    guard result.status == 0 else {
        let message = "cc failed on \(source) (status \(result.status)): \(result.stderr)"
        XCTFail(message, file: file, line: line)
        throw MissingBuild(description: message)
    }
}

/// Parses a JSON document into a dictionary, or fails.
public func jsonObject(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    guard let dictionary = object as? [String: Any] else {
        XCTFail("expected a JSON object, got: \(text.prefix(200))", file: file, line: line)
        throw MissingBuild(description: "not a JSON object")
    }
    return dictionary
}

/// The document without `run_id`, for comparing two runs.
public func withoutRunID(_ document: [String: Any]) -> NSDictionary {
    var copy = document
    copy["run_id"] = nil
    return copy as NSDictionary
}

/// The entry named `name` in the document's `verifiers` or `baselines`.
public func entry(_ document: [String: Any], _ name: String, in list: String = "verifiers") -> [String: Any]? {
    (document[list] as? [[String: Any]])?.first { $0["name"] as? String == name }
}

/// The non-empty lines of `text`.
public func lines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

/// A small experiment on the Gaussian-mixture task: quick in a debug build,
/// with `verifiers` appended verbatim (TOML `[[verifier]]` tables).
public func smallConfig(seed: Int = 7, pool: Int = 4000, chunk: Int = 1000, test: Int = 2000,
                 retrain: [Int] = [100], threads: Int = 2, verifiers: String) -> String {
    """
    seed = \(seed)
    threads = \(threads)

    [pool]
    size = \(pool)
    chunk = \(chunk)

    [test]
    size = \(test)

    [retrain]
    n = [\(retrain.map(String.init).joined(separator: ", "))]

    [generator]
    plugin = "gaussian-mixture"
    d = 100
    tau = 0.15
    n0 = 200

    \(verifiers)
    """
}
