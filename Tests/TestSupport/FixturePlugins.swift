import Foundation
import XCTest

/// The plain-C plugins of Tests/Fixtures/host-plugins, which the host's unit
/// tests run instead of the shipped plugins: a one-dimensional generator
/// ("fixture-line") whose every number can be worked out by hand, and
/// verifiers with one obvious rule each. They are compiled once per test
/// process, the way the bad plugins are, into a folder removed at exit.
public enum FixturePlugins {
    /// Source file (without .c) and the plugin id it carries.
    public static let plugins: [(source: String, id: String)] = [
        ("line_generator", "fixture-line"),
        ("keep_all", "keep-all"),
        ("keep_none", "keep-none"),
        ("keep_correct", "keep-correct"),
        ("top_correct", "top-correct"),
    ]

    public static var sources: String { Paths.root + "/Tests/Fixtures/host-plugins" }

    private static let lock = NSLock()
    private static var compiled: String?

    /// The folder holding `libfixture_<source>.so` for every fixture.
    public static func folder(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        lock.lock()
        defer { lock.unlock() }
        if let compiled { return compiled }
        let folder = try TemporaryFolder("assay-fixture-plugins")
        atexit { FixturePlugins.compiled.map { try? FileManager.default.removeItem(atPath: $0) } }
        for (source, _) in plugins {
            try compilePlugin(sources + "/\(source).c", to: folder.file("libfixture_\(source).so"), file: file, line: line)
        }
        compiled = folder.path
        return folder.path
    }

    /// The library that carries plugin `id`.
    public static func library(_ id: String, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        guard let source = plugins.first(where: { $0.id == id })?.source else {
            let message = "no fixture plugin \"\(id)\"; known: \(plugins.map(\.id).joined(separator: ", "))"
            XCTFail(message, file: file, line: line)
            throw MissingBuild(description: message)
        }
        return try folder(file: file, line: line) + "/libfixture_\(source).so"
    }

    /// A `[[verifier]]` table for fixture `id`, with `keys` appended verbatim.
    public static func verifier(_ name: String, _ id: String, _ keys: String = "") throws -> String {
        """
        [[verifier]]
        name = "\(name)"
        plugin = "\(id)"
        library = "\(try library(id))"
        \(keys)

        """
    }

    /// A small experiment on the fixture-line task (x uniform on (0, 1),
    /// truth x > 0.5, the generator's labels x > `cut`, so a fraction
    /// `cut` − 0.5 of the pool is bad), with `verifiers` appended verbatim.
    public static func config(seed: Int = 7, pool: Int = 4000, chunk: Int = 1000, test: Int = 2000,
                              retrain: [Int] = [100], threads: Int = 2, cut: Double = 0.6,
                              verifiers: String) throws -> String {
        """
        seed = \(seed)
        threads = \(threads)

        [pool]
        size = \(pool)
        chunk = \(chunk)

        [test]
        size = \(test)

        [retrain]
        n = [\(retrain.map(String.init).joined(separator: ", "))]

        [generator]
        plugin = "fixture-line"
        library = "\(try library("fixture-line"))"
        cut = \(cut)

        \(verifiers)
        """
    }
}
