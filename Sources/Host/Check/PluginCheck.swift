import ConfigKit
import Foundation
import PluginAPI
import TOMLConfig

/// `assay check`: runs the rules of assay_plugin.h (CheckRule) against every
/// plugin a library carries, like scikit-learn's `check_estimator`, and
/// reports one line per rule.
///
/// Verifiers are judged on a small pool (CheckPool) that a generator makes
/// through the host's own machinery: `generatorID` if given, else the
/// library's own first generator, else "gaussian-mixture" from the plugin
/// path. A plugin that returns errors is reported, never fatal; one that
/// crashes the process takes the check with it.
public struct PluginCheck {
    public var file: String
    /// The JSON object every checked plugin's `create` receives.
    public var configJSON = "{}"
    /// Only this plugin of the library, when given.
    public var pluginID: String?
    public var generatorID: String?
    /// The generator to judge a verifier-only library on, when
    /// `generatorID` is nil (the CLI names one; the host knows no plugin).
    public var fallbackGeneratorID: String?
    public var generatorConfigJSON = "{}"
    /// `--plugin-path` folders, searched for the pool's generator.
    public var pluginFolders: [String] = []
    public var seed: UInt64 = 1
    /// How many threads one call may keep busy, as a run's `threads`.
    public var threads = 2

    /// Every rule, in report order, with what it asks and where the
    /// contract says so.
    public static var rules: [(name: String, summary: String)] {
        CheckRule.allCases.map { ($0.rawValue, $0.summary) }
    }

    public init(file: String) {
        self.file = file
    }

    /// Runs every rule, handing each line of the report to `emit` (never
    /// while a plugin call runs); returns how many rules failed. Throws
    /// only for what is not the plugin's fault: an unknown `pluginID`, or
    /// a pool generator that cannot be found or made.
    public func run(emit: (String) -> Void) throws -> Int {
        let catalog = PluginCatalog.discover(extraFolders: pluginFolders)
        let libraryBook = RuleBook(subject: "library \(file)")
        let handle = LibraryRules(file: file, book: libraryBook).check(into: catalog)
        report(libraryBook, emit: emit)
        var failures = libraryBook.failures
        guard let handle else { return failures }

        let plugins = handle.plugins.filter { pluginID == nil || $0.id == pluginID }
        if let pluginID, plugins.isEmpty {
            throw AssayError("\(file) carries no plugin \"\(pluginID)\"; it offers: \(handle.plugins.map(\.id).joined(separator: ", "))")
        }
        var pool: CheckPool?
        for plugin in plugins {
            let book = RuleBook(subject: "\(plugin.kind.rawValue) \(plugin.id) \(plugin.version)")
            switch plugin.kind {
            case .generator:
                GeneratorCheck(info: plugin, configJSON: configJSON, seed: seed, threads: threads, book: book).run()
            case .verifier:
                if pool == nil { pool = try makePool(catalog: catalog, library: handle) }
                VerifierCheck(info: plugin, configJSON: configJSON, pool: pool!, threads: threads, book: book).run()
            }
            failures += book.failures
            report(book, emit: emit)
        }
        return failures
    }

    /// The pool the verifiers are judged on, and the task they prepare for.
    private func makePool(catalog: PluginCatalog, library: PluginLibraryHandle) throws -> CheckPool {
        let info: PluginInfo
        if let generatorID {
            info = try catalog.plugin(generatorID, kind: .generator, for: "--generator")
        } else if let own = library.plugins.first(where: { $0.kind == .generator }) {
            info = own
        } else if let fallbackGeneratorID {
            info = try catalog.plugin(fallbackGeneratorID, kind: .generator, for: "the check's pool")
        } else {
            throw AssayError("\(file) carries no generator; name the one whose pool its verifiers are judged on (--generator)")
        }
        do {
            return try CheckPool(generator: info, configJSON: generatorConfigJSON, seed: seed, threads: threads)
        } catch {
            throw AssayError("cannot make the pool the verifiers are judged on: \(error)")
        }
    }

    private func report(_ book: RuleBook, emit: (String) -> Void) {
        emit("check \(book.subject)")
        for line in book.lines { emit(line) }
    }

    /// A `--config` file's JSON object: the file as JSON when it starts
    /// with `{`, else as TOML (its top-level keys).
    public static func configJSON(file path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AssayError("\(path): cannot read the plugin config")
        }
        let text = String(decoding: data, as: UTF8.self)
        if text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("{") {
            guard (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] != nil else {
                throw AssayError("\(path): not a JSON object; expected {\"key\": value, ...} or a TOML file")
            }
            return text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        // Not ConfigFile: a plugin's keys are all its own, none is the host's
        // ([quick], [sweep], [report] of a run config).
        let table = try readingConfig { try TOMLDocument.table(text, source: path) }
        // The JSON a run hands a plugin for the same table.
        return try ConfigReader(table: table, origin: path).json(excluding: [])
    }
}
