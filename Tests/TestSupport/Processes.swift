import Foundation
import XCTest

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
