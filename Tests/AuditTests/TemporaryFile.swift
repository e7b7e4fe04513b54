import Foundation

/// Writes `text` to a fresh file named `name` (the extension picks the
/// format) in a temporary folder, for tests that read a data file.
func temporaryFile(_ name: String, _ text: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-audit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let file = folder.appendingPathComponent(name)
    try text.write(to: file, atomically: true, encoding: .utf8)
    return file.path
}

/// The folder of this test target's sources (fixtures and examples live beside it).
let auditTestsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
let repositoryFolder = auditTestsFolder.deletingLastPathComponent().deletingLastPathComponent()
