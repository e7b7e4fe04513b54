import Foundation
import XCTest

/// Parses a JSON document into a dictionary, or fails.
public func jsonObject(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    guard let dictionary = object as? [String: Any] else {
        XCTFail("expected a JSON object, got: \(text.prefix(200))", file: file, line: line)
        throw MissingBuild(description: "not a JSON object")
    }
    return dictionary
}

/// The document without `run_id`, for comparing two runs.
public func withoutRunID(_ document: [String: Any]) -> NSDictionary {
    var copy = document
    copy["run_id"] = nil
    return copy as NSDictionary
}

/// The entry named `name` in the document's `verifiers` or `baselines`.
public func entry(_ document: [String: Any], _ name: String, in list: String = "verifiers") -> [String: Any]? {
    (document[list] as? [[String: Any]])?.first { $0["name"] as? String == name }
}

/// The non-empty lines of `text`.
public func lines(_ text: String) -> [String] {
    text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}
