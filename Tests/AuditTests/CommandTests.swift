import Foundation
import XCTest

/// `assay audit` as a user runs it: the exit status, the one-line error on
/// standard error, --json and --plan-output. Runs the executable of the
/// build folder (`swift build` builds it); skips, saying so, without it.
final class CommandTests: XCTestCase {
    func assay(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let executable = repositoryFolder.appendingPathComponent(".build/debug/assay")
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw XCTSkip("\(executable.path) not built (run `swift build` first)")
        }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("assay-audit-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("out"), err = folder.appendingPathComponent("err")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["audit"] + arguments
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, try String(contentsOf: out, encoding: .utf8), try String(contentsOf: err, encoding: .utf8))
    }

    func testMalformedRowExitsNonZeroWithOneLine() throws {
        let data = try temporaryFile("data.jsonl", """
            {"id": "a", "ok": 1, "keep_judge": 1}
            {"id": "b", "ok": 0, "keep_judge": 2}
            """)
        let result = try assay([data, "--audit-column", "ok", "--keep", "judge=keep_judge"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderr, "assay: error: \(data):2: column 'keep_judge': expected 0 or 1, got 2\n")
        XCTAssertEqual(result.stdout, "")
    }

    func testJSONAndPlanOutput() throws {
        let folder = repositoryFolder.appendingPathComponent("examples/audit")
        let next = FileManager.default.temporaryDirectory.appendingPathComponent("assay-next-\(UUID().uuidString).tsv")
        defer { try? FileManager.default.removeItem(at: next) }
        let result = try assay([folder.appendingPathComponent("pool.jsonl").path, "--config", folder.appendingPathComponent("pool.toml").path,
                                "--json", "--plan-output", next.path, "--half-width", "0.05", "--seed", "3"])
        XCTAssertEqual(result.status, 0, result.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let plan = try XCTUnwrap(json["plan"] as? [String: Any])
        let extra = try XCTUnwrap(plan["extra"] as? [String: Int])
        let lines = try String(contentsOf: next, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, extra.values.reduce(0, +))
        XCTAssertGreaterThan(lines.count, 0)
        for line in lines {
            let fields = line.split(separator: "\t")
            XCTAssertEqual(fields.count, 2)
            XCTAssertNotNil(extra[String(fields[0])])
        }
        let estimates = try XCTUnwrap(json["estimates"] as? [String: Any])
        XCTAssertEqual(estimates["rows"] as? Int, 3000)
    }
}
