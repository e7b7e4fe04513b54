import Foundation
import GRDB

/// Runs, their configs and everything they measured, in SQLite.
///
/// Each measurement is written as soon as it exists, so a run that fails
/// half-way keeps what it had computed; its status says where it stopped.
public final class ResultsStore {
    public let path: String
    private let database: DatabaseQueue

    /// The default store: `ASSAY_DB`, else results/assay.sqlite in the
    /// working folder.
    public static var defaultPath: String {
        ProcessInfo.processInfo.environment["ASSAY_DB"] ?? "results/assay.sqlite"
    }

    public init(path: String) throws {
        self.path = path
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            database = try DatabaseQueue(path: path)
            try Self.migrator.migrate(database)
        } catch {
            throw AssayError("\(path): cannot open the results database (\(error))")
        }
    }

    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "run") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("started_at", .text).notNull()
                table.column("finished_at", .text)
                table.column("status", .text).notNull()      // running | completed | failed
                table.column("error", .text)
                table.column("seed", .integer).notNull()
                table.column("config_path", .text).notNull()
                table.column("config", .text).notNull()      // the TOML as given
                table.column("plugins", .text).notNull()     // JSON: id, version, file of each plugin
                table.column("result", .text)                // JSON document of `assay run --json`
            }
            try db.create(table: "score") { table in
                table.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                table.column("selection", .text).notNull()
                table.column("plugin", .text).notNull()
                table.column("pairs", .integer).notNull()
                table.column("kept", .integer).notNull()
                table.column("p", .double)
                for column in ["phi", "psi", "p_star"] {
                    table.column(column, .double)
                    table.column(column + "_lower", .double)
                    table.column(column + "_upper", .double)
                }
                table.primaryKey(["run_id", "selection"])
            }
            try db.create(table: "curve_point") { table in
                table.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                table.column("selection", .text).notNull()
                table.column("n", .integer).notNull()
                table.column("accuracy", .double).notNull()
                table.column("agreement", .double)
                table.primaryKey(["run_id", "selection", "n"])
            }
            try db.create(table: "metric") { table in
                table.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                table.column("name", .text).notNull()
                table.column("value", .double)
                table.primaryKey(["run_id", "name"])
            }
        }
        // Sweeps (`[sweep]` configs and `assay phase`) and iterated rounds.
        migrator.registerMigration("v2") { db in
            try db.create(table: "sweep") { table in
                table.autoIncrementedPrimaryKey("id")
                table.column("started_at", .text).notNull()
                table.column("kind", .text).notNull()         // sweep | phase
                table.column("config_path", .text).notNull()
                table.column("config", .text).notNull()       // the TOML as given
                table.column("points", .integer).notNull()    // runs the sweep makes
            }
            try db.alter(table: "run") { table in
                table.add(column: "sweep_id", .integer).references("sweep", onDelete: .setNull)
                table.add(column: "sweep_point", .text)       // JSON: swept path → this run's value
            }
            try db.create(table: "round_point") { table in
                table.column("run_id", .integer).notNull().references("run", onDelete: .cascade)
                table.column("round", .integer).notNull()
                table.column("selection", .text).notNull()
                table.column("pairs", .integer).notNull()
                table.column("kept", .integer).notNull()
                for column in ["p", "phi", "psi", "p_star", "generator_accuracy"] {
                    table.column(column, .double)
                }
                table.column("n", .integer)
                table.column("accuracy", .double)
                table.column("agreement", .double)
                table.primaryKey(["run_id", "round", "selection"])
            }
        }
        // What a run's document is: "experiment" for an ExperimentResult
        // (read back strictly as one), NULL for another command's document.
        migrator.registerMigration("v3") { db in
            try db.alter(table: "run") { table in
                table.add(column: "document_kind", .text)
            }
            try db.execute(sql: "UPDATE run SET document_kind = 'experiment' WHERE result LIKE '%\"verifiers\":%'")
        }
        return migrator
    }

    /// A run's place in a sweep: the sweep's id and the run's point.
    public struct SweepMembership {
        public var id: Int64
        /// JSON object: each swept path and this run's value.
        public var point: String

        public init(id: Int64, point: String) {
            self.id = id
            self.point = point
        }

        /// Each swept path and this run's value; `run` names the run in
        /// the error when the stored point is not a JSON object.
        public func values(run: Int64) throws -> [String: Any] {
            let object: Any
            do {
                object = try JSONSerialization.jsonObject(with: Data(point.utf8))
            } catch {
                throw AssayError("run \(run): stored sweep point \(point) is not valid JSON; expected an object of swept paths")
            }
            guard let values = object as? [String: Any] else {
                throw AssayError("run \(run): stored sweep point \(point) is not a JSON object of swept paths")
            }
            return values
        }

        /// `generator.n0 = 200, seed = 2`, as sweep tables name the point.
        public var label: String {
            guard let object = try? JSONSerialization.jsonObject(with: Data(point.utf8)) as? [String: Any] else { return point }
            return object.keys.sorted().map { "\($0) = \(SweepPlan.render(object[$0]!))" }.joined(separator: ", ")
        }
    }

    public struct PluginRecord: Codable {
        public var role: String
        public var id: String
        public var version: String
        public var file: String

        public init(role: String, id: String, version: String, file: String) {
            self.role = role
            self.id = id
            self.version = version
            self.file = file
        }
    }

    public func beginSweep(kind: String, configPath: String, config: String, points: Int) throws -> Int64 {
        try database.write { db in
            try db.execute(sql: "INSERT INTO sweep (started_at, kind, config_path, config, points) VALUES (?, ?, ?, ?, ?)",
                           arguments: [Self.now(), kind, configPath, config, points])
            return db.lastInsertedRowID
        }
    }

    public func beginRun(config: RunConfig, plugins: [PluginRecord], sweep: SweepMembership? = nil) throws -> Int64 {
        try beginRun(seed: config.seed, configPath: config.path, source: config.source, plugins: plugins, sweep: sweep)
    }

    /// A run of any command: its seed, its config file and text, its plugins.
    public func beginRun(seed: UInt64, configPath: String, source: String, plugins: [PluginRecord],
                         sweep: SweepMembership? = nil) throws -> Int64 {
        let pluginsJSON = String(decoding: try JSONEncoder().encode(plugins), as: UTF8.self)
        return try database.write { db in
            try db.execute(sql: """
                INSERT INTO run (started_at, status, seed, config_path, config, plugins, sweep_id, sweep_point)
                VALUES (?, 'running', ?, ?, ?, ?, ?, ?)
                """, arguments: [Self.now(), Int64(bitPattern: seed), configPath, source, pluginsJSON, sweep?.id, sweep?.point])
            return db.lastInsertedRowID
        }
    }

    public func record(run: Int64, round: RoundPoint) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO round_point (run_id, round, selection, pairs, kept, p, phi, psi, p_star,
                    generator_accuracy, n, accuracy, agreement)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run, round.round, round.selection, round.score?.pairs ?? 0, round.score?.kept ?? 0,
                                 round.score?.p, round.score?.phi, round.score?.psi, round.score?.pStar,
                                 round.generatorAccuracy, round.point?.n, round.point?.accuracy, round.point?.agreement])
        }
    }

    public func record(run: Int64, selection: String, plugin: String, score: SelectionScore) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO score (run_id, selection, plugin, pairs, kept, p,
                    phi, phi_lower, phi_upper, psi, psi_lower, psi_upper, p_star, p_star_lower, p_star_upper)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run, selection, plugin, score.pairs, score.kept, score.p,
                                 score.phi, score.phiInterval?.lower, score.phiInterval?.upper,
                                 score.psi, score.psiInterval?.lower, score.psiInterval?.upper,
                                 score.pStar, score.pStarInterval?.lower, score.pStarInterval?.upper])
        }
    }

    public func record(run: Int64, selection: String, point: CurvePoint) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO curve_point (run_id, selection, n, accuracy, agreement) VALUES (?, ?, ?, ?, ?)
                """, arguments: [run, selection, point.n, point.accuracy, point.agreement])
        }
    }

    public func record(run: Int64, metric: String, value: Double?) throws {
        try database.write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO metric (run_id, name, value) VALUES (?, ?, ?)",
                           arguments: [run, metric, value])
        }
    }

    /// Marks an experiment's run completed with its result document,
    /// which `run(id:)` reads back as an ExperimentResult.
    public func finish(run: Int64, result: ExperimentResult) throws {
        try finish(run: run, document: try result.json(pretty: false), kind: "experiment")
    }

    /// Marks a run of another command completed with its JSON document
    /// (what its `--json` prints).
    public func finish(run: Int64, document json: String) throws {
        try finish(run: run, document: json, kind: nil)
    }

    private func finish(run: Int64, document json: String, kind: String?) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE run SET status = 'completed', finished_at = ?, result = ?, document_kind = ? WHERE id = ?",
                           arguments: [Self.now(), json, kind, run])
        }
    }

    public func fail(run: Int64, error: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE run SET status = 'failed', finished_at = ?, error = ? WHERE id = ?",
                           arguments: [Self.now(), error, run])
        }
    }

    // MARK: Reading

    public struct RunSummary {
        public var id: Int64
        public var startedAt: String
        public var status: String
        public var seed: UInt64
        public var configPath: String
        public var error: String?
        public var sweep: SweepMembership?
    }

    public struct StoredRun {
        public var summary: RunSummary
        public var config: String
        public var plugins: String
        /// The run's JSON document: an ExperimentResult for `assay run`,
        /// a CandidatesResult for `assay candidates`.
        public var document: String?
        /// The document read as an experiment's result, when it is one
        /// (read strictly: a document of another schema is an error).
        public var result: ExperimentResult?
        public var scores: [(selection: String, plugin: String, score: SelectionScore)]
        public var points: [(selection: String, point: CurvePoint)]
        public var metrics: [(name: String, value: Double?)]
    }

    public func runs() throws -> [RunSummary] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY id").map(Self.summary)
        }
    }

    public func run(id: Int64) throws -> StoredRun? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]) else { return nil }
            let scores = try Row.fetchAll(db, sql: "SELECT * FROM score WHERE run_id = ? ORDER BY rowid", arguments: [id]).map { row in
                (selection: row["selection"] as String, plugin: row["plugin"] as String, score: Self.score(row))
            }
            let points = try Row.fetchAll(db, sql: "SELECT * FROM curve_point WHERE run_id = ? ORDER BY selection, n", arguments: [id]).map { row in
                (selection: row["selection"] as String,
                 point: CurvePoint(n: row["n"], accuracy: row["accuracy"], agreement: row["agreement"]))
            }
            let metrics = try Row.fetchAll(db, sql: "SELECT * FROM metric WHERE run_id = ? ORDER BY name", arguments: [id]).map { row in
                (name: row["name"] as String, value: row["value"] as Double?)
            }
            let document = row["result"] as String?
            var result: ExperimentResult?
            if let document, row["document_kind"] as String? == "experiment" {
                result = try ExperimentResult.decode(json: document, source: "run \(id) in \(path)")
            }
            return StoredRun(summary: Self.summary(row), config: row["config"], plugins: row["plugins"],
                             document: document, result: result, scores: scores, points: points, metrics: metrics)
        }
    }

    /// The runs of the sweep `run` belongs to, in the order they were
    /// made; nil when it belongs to none.
    public func sweepRuns(containing run: Int64) throws -> (kind: String, runs: [StoredRun])? {
        let found: (kind: String, ids: [Int64])? = try database.read { db in
            guard let sweep = try Int64.fetchOne(db, sql: "SELECT sweep_id FROM run WHERE id = ?", arguments: [run]),
                  let kind = try String.fetchOne(db, sql: "SELECT kind FROM sweep WHERE id = ?", arguments: [sweep]) else {
                return nil
            }
            return (kind, try Int64.fetchAll(db, sql: "SELECT id FROM run WHERE sweep_id = ? ORDER BY id", arguments: [sweep]))
        }
        guard let found else { return nil }
        return (found.kind, try found.ids.compactMap { try self.run(id: $0) })
    }

    private static func summary(_ row: Row) -> RunSummary {
        let sweep = (row["sweep_id"] as Int64?).map { SweepMembership(id: $0, point: row["sweep_point"] ?? "{}") }
        return RunSummary(id: row["id"], startedAt: row["started_at"], status: row["status"],
                          seed: UInt64(bitPattern: row["seed"] as Int64), configPath: row["config_path"],
                          error: row["error"], sweep: sweep)
    }

    private static func score(_ row: Row) -> SelectionScore {
        func interval(_ name: String) -> SelectionScore.Interval? {
            guard let lower = row[name + "_lower"] as Double?, let upper = row[name + "_upper"] as Double? else { return nil }
            return SelectionScore.Interval(lower: lower, upper: upper)
        }
        return SelectionScore(pairs: row["pairs"], kept: row["kept"], p: row["p"] ?? .nan,
                              phi: row["phi"], phiInterval: interval("phi"),
                              psi: row["psi"], psiInterval: interval("psi"),
                              pStar: row["p_star"], pStarInterval: interval("p_star"))
    }

    private static func now() -> String {
        ISO8601DateFormatter().string(from: Date())
    }
}
