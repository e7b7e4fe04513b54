import AssayTestSupport
import Foundation
import XCTest

/// The python-verifier tests' own fixture file, beside this one.
let checksModule = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/checks.py").path

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

/// Runs the built `assay` with ASSAY_PYTHON set to `python`.
func assay(_ arguments: [String], in folder: String, python: String) throws -> ProcessResult {
    try assay(arguments, in: folder, environment: ["ASSAY_PYTHON": python])
}
