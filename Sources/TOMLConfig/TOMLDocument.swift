import ConfigKit
import Foundation
import TOMLKit

/// A TOML document as plain Foundation values (`[String: Any]`, arrays,
/// `NSNumber`, `String`): what ConfigReader reads and what the host merges
/// and copies. The one place TOML is parsed — run configs, `assay check`'s
/// plugin configs and `assay audit`'s mappings all come through here.
///
/// Its own target, not ConfigKit: plugins link ConfigKit, and TOMLKit (with
/// the C++ toml++ behind it) has no business in every plugin library.
public enum TOMLDocument {
    /// The top-level table of `text`; a syntax error names
    /// `source:line:column` and what the parser expected.
    public static func table(_ text: String, source: String) throws -> [String: Any] {
        let document: TOMLTable
        do {
            document = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError("\(source):\(error.source.begin.line):\(error.source.begin.column): \(error.description)")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(document.convert(to: .json).utf8)),
              let table = object as? [String: Any] else {
            throw ConfigError("\(source): the TOML document could not be read as a table")
        }
        return table
    }

    /// The file at `path`, read as `table(_:source:)` does; `what` names the
    /// file in the error when it cannot be read ("the run config").
    public static func load(path: String, what: String) throws -> (table: [String: Any], text: String) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigError("\(path): cannot read \(what)")
        }
        let text = String(decoding: data, as: UTF8.self)
        return (try table(text, source: path), text)
    }
}
