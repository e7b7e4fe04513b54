import Foundation
import XCTest

/// Where things are, found from this file: Tests/EmbedTests/Support.swift.
enum Paths {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    /// `.build/debug` as `swift build` leaves it: libAssay.so, `assay`, plugins.
    static let buildFolder = URL(fileURLWithPath: root + "/.build/debug").resolvingSymlinksInPath().path
    static var library: String { buildFolder + "/libAssay.so" }
    static var assay: String { buildFolder + "/assay" }
    static var include: String { root + "/Sources/PluginAPI/include" }
    static var example: String { root + "/examples/embed-c" }
    static var fixtures: String { root + "/Tests/EmbedTests/Fixtures" }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
}

/// Fails the test unless `swift build` has made libAssay.so and `assay`.
func requireBuild(file: StaticString = #filePath, line: UInt = #line) throws {
    for product in [Paths.library, Paths.assay] where !FileManager.default.fileExists(atPath: product) {
        let message = "missing \(product); run `swift build` first (swift test does not build library products)"
        XCTFail(message, file: file, line: line)
        throw Failure(description: message)
    }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs a program to completion with its output in files (no pipe can fill
/// and stall it), without the variables that would point Assay elsewhere.
func execute(_ executable: String, _ arguments: [String], in folder: String? = nil) throws -> ProcessResult {
    let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("assay-embed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout"), errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let out = try FileHandle(forWritingTo: outURL), err = try FileHandle(forWritingTo: errURL)

    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let folder { process.currentDirectoryURL = URL(fileURLWithPath: folder) }
    var environment = ProcessInfo.processInfo.environment
    environment["ASSAY_PLUGIN_PATH"] = nil
    environment["ASSAY_DB"] = nil
    process.environment = environment
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    return ProcessResult(status: process.terminationStatus,
                         stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                         stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}

/// A fresh temporary folder, removed when the test ends.
func temporaryFolder(_ test: XCTestCase) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("assay-embed-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
    return url.path
}

func jsonObject(_ text: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
        throw Failure(description: "not a JSON object: \(text.prefix(200))")
    }
    return object
}
