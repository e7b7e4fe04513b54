import ConfigKit
import XCTest

/// ConfigReader's typed reads and their one-line errors, as host and
/// plugins see them.
final class ConfigReaderTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch let error as ConfigError {
            return error.message
        } catch {
            return "not a ConfigError: \(error)"
        }
    }

    func testTypedReadsAndDefaults() throws {
        let config = try ConfigReader(json: #"{"p": 0.25, "n": 3, "name": "b", "w": [1, 2.5]}"#, origin: "test config")
        XCTAssertEqual(try config.number("p", in: 0 ... 1), 0.25)
        XCTAssertEqual(try config.integer("n", in: 1 ... 5), 3)
        XCTAssertEqual(try config.string("name", oneOf: ["a", "b"]), "b")
        XCTAssertEqual(try config.numbers("w"), [1, 2.5])
        XCTAssertEqual(try config.number("absent", default: 7), 7)
        XCTAssertNil(try config.numbers("none"))
        XCTAssertNoThrow(try config.finish())
    }

    func testUnknownKeysAreRefusedListingTheKnownOnes() throws {
        let config = try ConfigReader(json: #"{"alpha": 1, "betta": 2}"#, origin: "test config")
        _ = try config.number("alpha")
        _ = try config.number("beta", default: 0)
        XCTAssertEqual(message { try config.finish() }, #"test config: unknown key "betta"; expected one of: alpha, beta"#)
    }

    func testErrorsNameTheOriginTheKeyAndWhatWasExpected() throws {
        let config = try ConfigReader(json: #"{"p": 1.5, "n": 2.5, "flag": true, "s": 3}"#, origin: "x.toml [pool]")
        XCTAssertEqual(message { _ = try config.number("p", in: 0 ... 1) },
                       #"x.toml [pool]: "p" must be a number in [0.0, 1.0], got 1.5"#)
        XCTAssertEqual(message { _ = try config.integer("n") }, #"x.toml [pool]: "n" must be an integer, got 2.5"#)
        // A JSON boolean is not a number, even where Foundation says 1.
        XCTAssertEqual(message { _ = try config.number("flag") }, #"x.toml [pool]: "flag" must be a finite number, got 1"#)
        XCTAssertEqual(message { _ = try config.string("s") }, #"x.toml [pool]: "s" must be a string, got 3"#)
        XCTAssertEqual(message { _ = try config.integer("size") }, #"x.toml [pool]: missing "size"; expected an integer"#)
        XCTAssertEqual(config.invalid("give a or b").message, "x.toml [pool]: give a or b")
    }

    func testNestedTablesCarryTheirPlaceInTheOrigin() throws {
        let config = ConfigReader(table: ["pool": ["size": 10], "verifier": [["plugin": "oracle"], ["plugin": "noisy"]]],
                                  origin: "run.toml")
        let pool = try config.table("pool")
        XCTAssertEqual(pool.origin, "run.toml [pool]")
        XCTAssertEqual(try pool.integer("size"), 10)
        let verifiers = try config.tableArray("verifier")
        XCTAssertEqual(verifiers.map(\.origin), ["run.toml [[verifier]] #1", "run.toml [[verifier]] #2"])
        XCTAssertEqual(try verifiers[1].json(excluding: ["plugin"]), "{}")
    }
}
