import AssayTestSupport
import Foundation

/// Writes `text` to a fresh file named `name` (the extension picks the
/// format) in a temporary folder, for tests that read a data file.
func temporaryFile(_ name: String, _ text: String) throws -> String {
    try TemporaryFolder("assay-audit").write(name, text)
}

/// The folder of this test target's sources (fixtures live beside it).
let auditTestsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
/// The package root.
let repositoryFolder = URL(fileURLWithPath: Paths.root)
