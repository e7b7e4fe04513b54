import AssayHost
import Foundation
import PluginAPI

/// assay_session_run: what `assay run --json` (or `assay score --json`)
/// does with a config file, for a config string, without the CLI's
/// progress bar, tables or default database.
@_cdecl("assay_session_run")
public func assaySessionRun(_ pointer: OpaquePointer?, _ config: UnsafePointer<CChar>?, _ db: UnsafePointer<CChar>?,
                            _ flags: UInt32, _ progress: assay_progress_fn?, _ user: UnsafeMutableRawPointer?,
                            _ resultJSON: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                            _ error: UnsafeMutablePointer<assay_host_error>?) -> assay_host_status {
    resultJSON?.pointee = nil
    return withSession(pointer, error, fallback: ASSAY_HOST_ERROR_RUN) { session in
        guard let resultJSON else { throw EmbedFailure.argument("result_json is NULL: expected a char * to receive the JSON document") }
        let text = try cString(config, "config")
        guard flags & ~UInt32(ASSAY_RUN_NO_RETRAIN) == 0 else {
            throw EmbedFailure.argument("flags = \(flags): expected ASSAY_RUN_DEFAULT (0) or ASSAY_RUN_NO_RETRAIN (1)")
        }
        let report: (String, Int, Int) -> Void = { stage, done, total in
            stage.withCString { progress?($0, UInt64(done), UInt64(total), user) }
        }

        let runConfig: RunConfig
        do {
            runConfig = try RunConfig.parse(text, path: "<config>")
        } catch {
            throw EmbedFailure(ASSAY_HOST_ERROR_CONFIG, String(describing: error))
        }
        var store: ResultsStore?
        if let db {
            do { store = try ResultsStore(path: String(cString: db)) } catch {
                throw EmbedFailure(ASSAY_HOST_ERROR_STORE, String(describing: error))
            }
        }

        let experiment = Experiment(config: runConfig, catalog: session.catalog, store: store, showProgress: false)
        if progress != nil { experiment.onProgress = report }
        report("start", 0, 1)
        let document: String
        do {
            document = try experiment.run(retrain: flags & UInt32(ASSAY_RUN_NO_RETRAIN) == 0).json()
        } catch {
            // As the CLI says it: the stored run keeps what was measured.
            if let runID = experiment.runID, let store {
                throw EmbedFailure(ASSAY_HOST_ERROR_RUN, "\(error) — run \(runID) is marked failed in \(store.path) with what it measured so far")
            }
            throw EmbedFailure(ASSAY_HOST_ERROR_RUN, String(describing: error))
        }
        guard let copy = strdup(document) else {
            throw EmbedFailure(ASSAY_HOST_ERROR_RUN, "out of memory copying the \(document.utf8.count)-byte result document")
        }
        report("done", 1, 1)
        resultJSON.pointee = copy
    }
}
