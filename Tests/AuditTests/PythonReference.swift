import Foundation
import XCTest

/// (A copy of Tests/NumericsTests/PythonReference.swift: test targets cannot
/// share a source file without a shared test-support target.)
/// Runs a reference script of this folder under $ASSAY_PYTHON (default
/// python3) on `input`, handed over as a temporary file, and returns what it
/// prints. A missing interpreter (env's exit 127) or a missing module (the
/// scripts' exit 3) skips the test with the reason; any other failure fails
/// it. Never passes silently.
func pythonReference(_ script: String, input: String, file: StaticString = #filePath, line: UInt = #line) throws -> Data {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-reference-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let inputFile = folder.appendingPathComponent("input.txt")
    let outFile = folder.appendingPathComponent("stdout"), errFile = folder.appendingPathComponent("stderr")
    try input.write(to: inputFile, atomically: true, encoding: .utf8)
    FileManager.default.createFile(atPath: outFile.path, contents: nil)
    FileManager.default.createFile(atPath: errFile.path, contents: nil)

    let scriptPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(script).path
    let python = ProcessInfo.processInfo.environment["ASSAY_PYTHON"] ?? "python3"
    let process = Process()
    // Through env so that a bare name is looked up on PATH.
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [python, scriptPath, inputFile.path]
    // Files, not pipes: a chatty script cannot stall on a full pipe.
    process.standardOutput = try FileHandle(forWritingTo: outFile)
    process.standardError = try FileHandle(forWritingTo: errFile)
    try process.run()
    process.waitUntilExit()
    let stderr = ((try? String(contentsOf: errFile, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    switch process.terminationStatus {
    case 0:
        return try Data(contentsOf: outFile)
    case 127:
        throw XCTSkip("Python interpreter '\(python)' not found (set ASSAY_PYTHON): \(stderr)")
    case 3:
        throw XCTSkip("\(script) under '\(python)': \(stderr)")
    case let status:
        XCTFail("\(script) exited with \(status): \(stderr)", file: file, line: line)
        throw XCTSkip("\(script) failed; see the failure above")
    }
}
