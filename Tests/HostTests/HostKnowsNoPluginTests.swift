import AssayTestSupport
import Foundation
import XCTest

/// The host knows no plugin: no file under Sources/Host names a shipped
/// plugin's id or one of its config keys as a string literal. A study that
/// needs one lives in Sources/Studies; a setting the host passes through
/// comes from the config.
final class HostKnowsNoPluginTests: XCTestCase {
    /// Words that are plugin keys and also the host's own vocabulary, each
    /// with where the host uses it (not as a plugin's key).
    static let hostVocabulary: [String: String] = [
        // assay_generator.similarity, a function of the ABI the host calls.
        "similarity": "the ABI's similarity call (assay_plugin.h)",
        // The measured ϕ of every selection: a column of the results store.
        "phi": "the store's score column ϕ",
        // An SVG circle's radius attribute.
        "r": "the SVG attribute r of a marker",
    ]

    /// The shipped plugins' ids and declared parameter names, read from
    /// their sources under Plugins/ (the descriptor's `id:` and each
    /// `Parameter("name", …)`), one id per plugin folder.
    static func shippedNames() throws -> (ids: Set<String>, keys: Set<String>) {
        let plugins = Paths.root + "/Plugins"
        var ids = Set<String>(), keys = Set<String>()
        let folders = try FileManager.default.contentsOfDirectory(atPath: plugins).filter { !$0.hasPrefix(".") }
        for folder in folders {
            var folderIDs = Set<String>()
            let files = try swiftFiles(under: plugins + "/" + folder)
            // A plugin folder exports the entry point (@_cdecl); Plugins/TestSupport does not.
            guard try files.contains(where: { try String(contentsOfFile: $0, encoding: .utf8).contains("@_cdecl(\"assay_plugin_entry\")") }) else { continue }
            for file in files {
                let text = try String(contentsOfFile: file, encoding: .utf8)
                folderIDs.formUnion(captures(#"\bid:\s*"([^"]+)""#, in: text))
                keys.formUnion(captures(#"Parameter\(\s*"([^"]+)""#, in: text))
            }
            XCTAssertEqual(folderIDs.count, 1, "Plugins/\(folder): expected one plugin id, found \(folderIDs.sorted())")
            ids.formUnion(folderIDs)
        }
        return (ids, keys)
    }

    /// `file:line: "literal"` for every string literal of `text` outside
    /// comments that is one of `names`.
    static func literals(of names: Set<String>, in text: String, file: String) -> [String] {
        var found: [String] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // Drop a comment: `//` at the start of the line or after a space.
            let code = line.replacing(try! Regex(#"(^|\s)//.*"#), with: "")
            for literal in captures(#""((?:[^"\\]|\\.)*)""#, in: String(code)) where names.contains(literal) {
                found.append("\(file):\(index + 1): \"\(literal)\"")
            }
        }
        return found
    }

    func testNoHostFileNamesAPluginIDOrKey() throws {
        let (ids, keys) = try Self.shippedNames()
        XCTAssertGreaterThanOrEqual(ids.count, 6, "the shipped plugins' ids: \(ids.sorted())")
        XCTAssertTrue(keys.contains("p_noise") && keys.contains("tau"), "the declared keys: \(keys.sorted())")
        let names = ids.union(keys).subtracting(Self.hostVocabulary.keys)
        var found: [String] = []
        for file in try Self.swiftFiles(under: Paths.root + "/Sources/Host") {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            found += Self.literals(of: names, in: text, file: String(file.dropFirst(Paths.root.count + 1)))
        }
        XCTAssertEqual(found, [], "the host names plugin ids or keys:\n" + found.joined(separator: "\n"))
    }

    /// The scan finds a planted literal and names its line, and skips comments.
    func testTheScanFindsAPlantedName() {
        let text = """
            let a = 1 // "oracle" in a comment
            /// "tau" in documentation
            guard info.id == "oracle" else { return }
            let key = "tau", other = "tauish"
            """
        XCTAssertEqual(Self.literals(of: ["oracle", "tau"], in: text, file: "Planted.swift"),
                       ["Planted.swift:3: \"oracle\"", "Planted.swift:4: \"tau\""])
    }

    private static func swiftFiles(under folder: String) throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else {
            throw MissingBuild(description: "\(folder): cannot list")
        }
        return walker.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }.sorted().map { folder + "/" + $0 }
    }

    private static func captures(_ pattern: String, in text: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: pattern)
        return regex.matches(in: text, range: NSRange(text.startIndex..., in: text)).compactMap { match in
            Range(match.range(at: 1), in: text).map { String(text[$0]) }
        }
    }
}
