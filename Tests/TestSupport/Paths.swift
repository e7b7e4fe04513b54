import Foundation
import XCTest

/// Where things are, and how the tests run the built `assay` binary and a C
/// compiler. Nothing here is a test.
public enum Paths {
    /// The package root: three levels up from Tests/TestSupport/Paths.swift.
    public static let root: String = {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .deletingLastPathComponent()
            .path
    }()

    /// `.build/debug`, with its symlink resolved: where `swift build` puts
    /// `assay` and the plugin libraries.
    public static let buildFolder: String = {
        let link = root + "/.build/debug"
        let resolved = URL(fileURLWithPath: link).resolvingSymlinksInPath().path
        return resolved
    }()

    public static var assay: String { buildFolder + "/assay" }
    public static var include: String { root + "/Sources/PluginAPI/include" }
    public static var badPlugins: String { root + "/Tests/Fixtures/bad-plugins" }
    public static var defaultConfig: String { root + "/configs/default.toml" }

    public static let pluginLibraries = [
        "libassay_gaussian_mixture.so", "libassay_oracle.so", "libassay_noisy.so",
        "libassay_perplexity.so", "libassay_margin.so",
    ]
}

public struct MissingBuild: Error, CustomStringConvertible {
    public var description: String

    public init(description: String) { self.description = description }
}

/// Fails the test (and throws) unless `swift build` has produced the CLI
/// and every plugin library.
public func requireBuild(file: StaticString = #filePath, line: UInt = #line) throws {
    var missing: [String] = []
    if !FileManager.default.isExecutableFile(atPath: Paths.assay) { missing.append(Paths.assay) }
    for library in Paths.pluginLibraries where !FileManager.default.fileExists(atPath: Paths.buildFolder + "/" + library) {
        missing.append(Paths.buildFolder + "/" + library)
    }
    guard missing.isEmpty else {
        let message = "missing build products (\(missing.joined(separator: ", "))); run `swift build` first"
        XCTFail(message, file: file, line: line)
        throw MissingBuild(description: message)
    }
}
