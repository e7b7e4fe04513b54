import AssayTestSupport
import Foundation
import XCTest

/// The python verifier's contract, in this process and through `assay run`:
/// keep bits and scores as the function returns them, one-line errors that
/// name module, function and batch, and the same bits from two threads.
final class PythonVerifierTests: XCTestCase {
    private var scratch: TemporaryFolder!
    private var python = ""

    override func setUpWithError() throws {
        python = try requirePython()
        scratch = try TemporaryFolder("assay-python-verifier")
    }

    override func tearDown() {
        scratch?.remove()
        super.tearDown()
    }

    private func config(_ function: String, module: String = checksModule, extra: String = "") -> String {
        "{\"module\": \"\(module)\", \"function\": \"\(function)\", \"python\": \"\(python)\"\(extra)}"
    }

    /// The sign rule in Swift: keep when y'·x[coordinate] > 0.
    private func signBits(_ x: [Double], _ y: [Double], cols: Int, coordinate: Int = 0) -> [UInt8] {
        y.indices.map { y[$0] * x[$0 * cols + coordinate] > 0 ? 1 : 0 }
    }

    // MARK: Results

    func testKeepBitsAreTheRule() throws {
        let batch = testBatch(rows: 8192, cols: 100, seed: 1)
        let sign = Paths.root + "/examples/python-verifier/sign.py"
        for (function, extra) in [("keep", ""), ("keep", ", \"coordinate\": 3, \"margin\": 0.0"), ("sign_list", ", \"coordinate\": 3")] {
            let module = function == "keep" ? sign : checksModule
            let driver = try VerifierDriver(config(function, module: module, extra: extra), xCols: 100)
            XCTAssertTrue(driver.rule)
            let coordinate = extra.contains("3") ? 3 : 0
            let bits = try driver.verify(x: batch.x, y: batch.y, xCols: 100, firstRow: 8192).keep
            XCTAssertEqual(bits, signBits(batch.x, batch.y, cols: 100, coordinate: coordinate), "\(function)\(extra)")
            XCTAssertTrue(bits.contains(0) && bits.contains(1))
        }
    }

    func testScoresAreTheFunctionsValues() throws {
        let batch = testBatch(rows: 1000, cols: 10, seed: 2)
        let driver = try VerifierDriver(config("score", module: Paths.root + "/examples/python-verifier/sign.py",
                                               extra: ", \"mode\": \"score\", \"fraction\": 0.25"), xCols: 10)
        XCTAssertFalse(driver.rule)
        let scores = try driver.verify(x: batch.x, y: batch.y, xCols: 10, firstRow: 0).score
        XCTAssertEqual(scores, batch.y.indices.map { batch.y[$0] * batch.x[$0 * 10] })
    }

    func testTheSameBatchGivesTheSameBitsTwice() throws {
        let driver = try VerifierDriver(config("keep", module: Paths.root + "/examples/python-verifier/sign.py"), xCols: 100)
        let batch = testBatch(rows: 4096, cols: 100, seed: 3)
        let first = try driver.verify(x: batch.x, y: batch.y, xCols: 100, firstRow: 0).keep
        let second = try driver.verify(x: batch.x, y: batch.y, xCols: 100, firstRow: 0).keep
        XCTAssertEqual(first, second)
    }

    /// Two threads at once, each with its own batches, as the host calls a
    /// verifier: every batch gets the bits it gets alone.
    func testConcurrentBatchesFromTwoThreadsGiveTheSameBits() throws {
        let driver = try VerifierDriver(config("keep", module: Paths.root + "/examples/python-verifier/sign.py"), xCols: 100)
        let batches = (0..<16).map { testBatch(rows: 2048, cols: 100, seed: UInt64(10 + $0)) }
        let alone = try batches.enumerated().map { index, batch in
            try driver.verify(x: batch.x, y: batch.y, xCols: 100, firstRow: index * 2048).keep
        }
        var together = [[UInt8]](repeating: [], count: batches.count)
        var failures: [String] = []
        let lock = NSLock()
        DispatchQueue.concurrentPerform(iterations: 2) { thread in
            for round in 0..<5 {
                for index in stride(from: thread, to: batches.count, by: 2) {
                    do {
                        let bits = try driver.verify(x: batches[index].x, y: batches[index].y, xCols: 100, firstRow: index * 2048).keep
                        lock.withLock { if round == 4 { together[index] = bits } else if bits != alone[index] { failures.append("batch \(index) round \(round)") } }
                    } catch {
                        lock.withLock { failures.append("\(error)") }
                    }
                }
            }
        }
        XCTAssertEqual(failures, [])
        XCTAssertEqual(together, alone)
        for (index, batch) in batches.enumerated() {
            XCTAssertEqual(alone[index], signBits(batch.x, batch.y, cols: 100))
        }
    }

    // MARK: Errors, in this process: exact messages

    private func verifyFailure(_ config: String, rows: Int = 8192, firstRow: Int = 8192) throws -> String {
        let driver = try VerifierDriver(config, xCols: 100)
        let batch = testBatch(rows: rows, cols: 100, seed: 4)
        do {
            _ = try driver.verify(x: batch.x, y: batch.y, xCols: 100, firstRow: firstRow)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    private func createFailure(_ config: String) -> String {
        do {
            _ = try VerifierDriver(config, xCols: 100)
            return "no error"
        } catch {
            return String(describing: error)
        }
    }

    func testARaisingFunctionIsOneLineNamingModuleFunctionLineAndBatch() throws {
        XCTAssertEqual(try verifyFailure(config("raises")),
                       "\(checksModule):raises raised ValueError: bad input at \(shown(checksModule)):11 (batch of rows 8192\u{2013}16383)")
    }

    func testAWrongLengthIsRefused() throws {
        XCTAssertEqual(try verifyFailure(config("wrong_length")),
                       "\(checksModule):wrong_length returned 8191 values for 8192 rows; expected 8192 keep bits, one per row (batch of rows 8192\u{2013}16383)")
    }

    func testAValueTwoIsRefusedWithItsRow() throws {
        XCTAssertEqual(try verifyFailure(config("value_two")),
                       "\(checksModule):value_two returned 2 at row 8197; expected 0 or 1 (batch of rows 8192\u{2013}16383)")
    }

    func testANaNScoreIsRefusedWithItsRow() throws {
        XCTAssertEqual(try verifyFailure(config("nan_score", extra: ", \"mode\": \"score\", \"fraction\": 0.5")),
                       "\(checksModule):nan_score returned score nan at row 8199; expected a finite number (batch of rows 8192\u{2013}16383)")
    }

    func testReturnsThatAreNoKeepBitsAreRefused() throws {
        XCTAssertEqual(try verifyFailure(config("returns_none"), rows: 10, firstRow: 0),
                       "\(checksModule):returns_none returned None; expected 10 keep bits, one per row (batch of rows 0\u{2013}9)")
        XCTAssertEqual(try verifyFailure(config("two_columns"), rows: 10, firstRow: 0),
                       "\(checksModule):two_columns returned an array of shape (10, 2); expected 10 keep bits, one per row (batch of rows 0\u{2013}9)")
    }

    func testAModuleThatFailsToImportIsNamedWithItsLine() throws {
        let module = Paths.root + "/Tests/PythonVerifierTests/Fixtures/bad_import.py"
        XCTAssertEqual(createFailure(config("keep", module: module)),
                       "importing \(module) raised NameError: name 'undefined_name' is not defined at \(shown(module)):3")
    }

    func testAViewKeptPastTheCallIsAnError() throws {
        XCTAssertEqual(try verifyFailure(config("keeps_x"), rows: 10, firstRow: 0),
                       "\(checksModule):keeps_x kept a view of x, y or its output after returning (batch of rows 0\u{2013}9); the host reuses those buffers: copy what it keeps (numpy.array(x))")
    }

    func testMissingModulesAndFunctionsAreConfigErrors() throws {
        XCTAssertEqual(createFailure(config("missing")), "module \(checksModule) has no function missing")
        XCTAssertEqual(createFailure(config("not_a_function")), "\(checksModule):not_a_function is not callable (int 3)")
        let absent = scratch.file("absent.py")
        XCTAssertEqual(createFailure(config("keep", module: absent)), "module \(absent): no such file (\(absent))")
        XCTAssertEqual(createFailure(config("keep", module: "assay_no_such_module")),
                       "module assay_no_such_module not found (sys.path of \(try interpreterExecutable()); give a file path ending in .py for a file)")
    }

    func testConfigMistakesAreRefused() throws {
        XCTAssertEqual(createFailure(config("keep", extra: ", \"mode\": \"scores\"")),
                       "python config: \"mode\" must be one of \"rule\", \"score\", got scores")
        XCTAssertEqual(createFailure(config("score", extra: ", \"mode\": \"score\"")),
                       "python config: missing \"fraction\"; expected a number")
        XCTAssertEqual(createFailure(config("keep", extra: ", \"fraction\": 0.5")),
                       "python config: \"fraction\" is for mode = \"score\"; a rule verifier keeps what its function keeps")
        XCTAssertEqual(createFailure("{\"module\": \"m.py\", \"function\": \"f\", \"python\": \"/nonexistent/python3\"}"),
                       "python config: \"python\" names /nonexistent/python3, which is not an executable file")
    }

    /// A traceback's file as messages show it: relative to the current
    /// folder when inside it (this process runs in the package root).
    private func shown(_ path: String) -> String {
        let folder = FileManager.default.currentDirectoryPath + "/"
        return path.hasPrefix(folder) ? String(path.dropFirst(folder.count)) : path
    }

    /// sys.executable of the interpreter the tests use (a venv's own).
    private func interpreterExecutable() throws -> String {
        let result = try runProcess("/usr/bin/env", [python, "-c", "import sys; print(sys.executable)"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    // MARK: Errors through `assay run`: one line, non-zero exit

    /// A small run with one python verifier `function`, on one thread so the
    /// first batch is the one that fails.
    private func run(_ function: String, module: String = checksModule, extra: String = "") throws -> ProcessResult {
        let text = """
            seed = 1
            threads = 1
            [pool]
            size = 20000
            chunk = 8192
            [test]
            size = 2000
            [retrain]
            n = [100]
            [generator]
            plugin = "gaussian-mixture"
            d = 100
            tau = 0.15
            n0 = 200
            [[verifier]]
            name = "py"
            plugin = "python"
            module = "\(module)"
            function = "\(function)"
            \(extra)
            """
        let path = try scratch.write("\(function).toml", text)
        return try assay(["run", path, "--db", scratch.file("r.sqlite")], in: scratch.path, python: python)
    }

    /// The run failed with one line: the host's prefix for this verifier and
    /// call, then `message` exactly, with the batch's rows (which the host's
    /// block size decides) matched as numbers.
    private func assertFailed(_ result: ProcessResult, call: String, message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotEqual(result.status, 0, file: file, line: line)
        let output = lines(result.stderr)
        XCTAssertEqual(output.count, 1, result.stderr, file: file, line: line)
        let text = output.first ?? ""
        let pattern = "^" + NSRegularExpression.escapedPattern(for: "assay: error: verifier py (python) [(built-in)]: \(call): \(message)")
            .replacingOccurrences(of: "ROWS", with: "0\u{2013}[0-9]+").replacingOccurrences(of: "NUMBER", with: "[0-9]+") + "( \u{2014} .*)?$"
        XCTAssertNotNil(text.range(of: pattern, options: .regularExpression), "\(text)\ndoes not match\n\(pattern)", file: file, line: line)
    }

    func testRunFailuresAreOneLineWithANonZeroExit() throws {
        let checks = checksModule
        assertFailed(try run("raises"), call: "verify",
                     message: "\(checks):raises raised ValueError: bad input at \(checks):11 (batch of rows ROWS)")
        assertFailed(try run("wrong_length"), call: "verify",
                     message: "\(checks):wrong_length returned NUMBER values for NUMBER rows; expected NUMBER keep bits, one per row (batch of rows ROWS)")
        assertFailed(try run("value_two"), call: "verify",
                     message: "\(checks):value_two returned 2 at row 5; expected 0 or 1 (batch of rows ROWS)")
        assertFailed(try run("nan_score", extra: "mode = \"score\"\nfraction = 0.5"), call: "verify",
                     message: "\(checks):nan_score returned score nan at row 7; expected a finite number (batch of rows ROWS)")
        assertFailed(try run("missing"), call: "create failed", message: "module \(checks) has no function missing")
        let absent = scratch.file("absent.py")
        assertFailed(try run("keep", module: absent), call: "create failed", message: "module \(absent): no such file (\(absent))")
    }
}
