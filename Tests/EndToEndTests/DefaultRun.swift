import AssayTestSupport
import Foundation
import XCTest

/// One `assay run --json` of configs/default.toml, shared by the tests that
/// read it (a full debug-build run takes several seconds): the first test
/// to ask pays for it, the others read the cached document.
enum DefaultRun {
    struct Output {
        var result: ProcessResult
        var document: [String: Any]
        var db: String
    }

    private static var cached: Output?
    private static var folder: TemporaryFolder?

    static func output() throws -> Output {
        if let cached { return cached }
        let folder = try TemporaryFolder("assay-default-run")
        Self.folder = folder
        XCTestObservationCenter.shared.addTestObserver(Cleanup(folder: folder))
        let db = folder.file("default.sqlite")
        let result = try assay(["run", Paths.defaultConfig, "--json", "--db", db], in: folder.path)
        guard result.status == 0 else {
            XCTFail("assay run configs/default.toml failed (status \(result.status)): \(result.stderr)")
            throw MissingBuild(description: "default run failed")
        }
        let output = Output(result: result, document: try jsonObject(result.stdout), db: db)
        cached = output
        return output
    }
}

/// Removes the shared run's folder when the test bundle finishes.
private final class Cleanup: NSObject, XCTestObservation {
    let folder: TemporaryFolder
    init(folder: TemporaryFolder) { self.folder = folder }
    func testBundleDidFinish(_ testBundle: Bundle) { folder.remove() }
}
