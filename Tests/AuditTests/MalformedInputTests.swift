import AssayAudit
import XCTest

/// Every malformed input fails with one line naming file, line and column.
final class MalformedInputTests: XCTestCase {
    let mapping = AuditMapping(idColumn: "id", auditColumn: "ok", verifiers: [.init(name: "judge", column: "keep_judge"), .init(name: "score", column: "score", rule: .threshold(0.5))])

    func error(_ name: String, _ text: String, mapping: AuditMapping? = nil) throws -> String {
        let path = try temporaryFile(name, text)
        do {
            _ = try AuditRun(path: path, mapping: mapping ?? self.mapping).run()
            XCTFail("\(name) was accepted")
            return ""
        } catch let error as AuditError {
            XCTAssertFalse(error.description.contains("\n"))
            return error.description.replacingOccurrences(of: path, with: name)
        }
    }

    let good = """
        {"id": "a", "ok": 1, "keep_judge": 1, "score": 0.9}
        {"id": "b", "ok": 0, "keep_judge": 0, "score": 0.1}
        {"id": "c", "ok": 1, "keep_judge": 0, "score": 0.7}
        """

    func testDecisionNotZeroOrOne() throws {
        XCTAssertEqual(try error("data.jsonl", good + "\n{\"id\": \"d\", \"ok\": 1, \"keep_judge\": 2, \"score\": 0.3}"),
                       "data.jsonl:4: column 'keep_judge': expected 0 or 1, got 2")
    }

    func testMissingColumnInJSONL() throws {
        XCTAssertEqual(try error("data.jsonl", good + "\n{\"id\": \"d\", \"ok\": 1, \"score\": 0.3}"),
                       "data.jsonl:4: column 'keep_judge': expected 0 or 1, got nothing (no such key)")
    }

    func testSimilarityOutOfRange() throws {
        XCTAssertEqual(try error("data.jsonl", "{\"id\": \"d\", \"ok\": 1.5, \"keep_judge\": 1, \"score\": 0.3}"),
                       "data.jsonl:1: column 'ok': expected a similarity in [0, 1] or true/false (empty = not audited), got 1.5")
    }

    func testScoreNotANumber() throws {
        XCTAssertEqual(try error("data.jsonl", good + "\n{\"id\": \"d\", \"ok\": null, \"keep_judge\": 1, \"score\": \"high\"}"),
                       "data.jsonl:4: column 'score': expected a number (a score), got \"high\"")
    }

    func testMissingID() throws {
        XCTAssertEqual(try error("data.jsonl", "{\"ok\": 1, \"keep_judge\": 1, \"score\": 0.3}"),
                       "data.jsonl:1: column 'id': expected a row id, got nothing (no such key)")
    }

    func testBrokenJSON() throws {
        XCTAssertEqual(try error("data.jsonl", good + "\n{\"id\" \"d\", \"ok\": 1}"),
                       "data.jsonl:4: invalid JSON at byte 7: expected ':' after a key")
        XCTAssertEqual(try error("data.jsonl", "{\"id\": \"d\", \"ok\": 1, \"keep_judge\": 1, \"score\": 0.3} x"),
                       "data.jsonl:1: invalid JSON at byte 53: expected nothing after the row's object")
    }

    func testCSVHeaderWithoutAColumn() throws {
        XCTAssertEqual(try error("data.csv", "id,ok,score\na,1,0.5\n"),
                       "data.csv:1: no column 'keep_judge' in the header (it has 'id', 'ok', 'score')")
    }

    func testCSVRowOfTheWrongWidth() throws {
        XCTAssertEqual(try error("data.csv", "id,ok,keep_judge,score\na,1,1,0.5\nb,0,1\n"),
                       "data.csv:3: expected 4 fields as in the header, got 3")
    }

    func testCSVUnterminatedQuote() throws {
        XCTAssertEqual(try error("data.csv", "id,ok,keep_judge,score\n\"a,1,1,0.5\n"),
                       "data.csv:2: a quoted field runs past the end of the line (multi-line fields are not supported)")
    }

    func testStratumWithOneAuditedRow() throws {
        let text = "id,ok,keep_judge,score,g\na,1,1,0.5,x\nb,0,1,0.5,x\nc,1,0,0.1,y\nd,,0,0.1,y\n"
        var mapping = self.mapping
        mapping.strata = .column("g")
        XCTAssertEqual(try error("data.csv", text, mapping: mapping),
                       "data.csv: stratum 'y' has 1 audited row; at least 2 are needed for its variance")
    }

    func testPoolSizeMissingForAStratum() throws {
        var mapping = self.mapping
        mapping.poolSizes = ["other": 10]
        XCTAssertEqual(try error("data.jsonl", good, mapping: mapping),
                       "data.jsonl: stratum 'all' has no pool size in [audit.pool] (given: other)")
    }

    func testMappingErrors() throws {
        XCTAssertThrowsError(try AuditMapping.parse("[audit]\nid = \"id\"\nbogus = 1\n[[audit.verifier]]\ncolumn = \"k\"\n", source: "m.toml")) {
            XCTAssertEqual(($0 as? AuditError)?.description, "m.toml: [audit]: unknown key 'bogus' (known: audit, format, id, pool, stratum, verifier)")
        }
        XCTAssertThrowsError(try AuditMapping.parse("[audit]\n[[audit.verifier]]\ncolumn = \"k\"\nfraction = 1.5\n", source: "m.toml")) {
            XCTAssertEqual(($0 as? AuditError)?.description, "m.toml: verifier 'k': fraction must be in [0, 1], got 1.5")
        }
        XCTAssertThrowsError(try AuditMapping.parse("[audit]\nstratum = \"keep:nobody\"\n[[audit.verifier]]\ncolumn = \"k\"\n", source: "m.toml")) {
            XCTAssertEqual(($0 as? AuditError)?.description, "m.toml: stratum = \"keep:nobody\" names no verifier of the mapping")
        }
    }
}
