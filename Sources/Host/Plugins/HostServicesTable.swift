import Logging
import PluginAPI
import PluginKit

/// Owns the `assay_host` table handed to one instance; services the plugin
/// did not declare a need for stay NULL.
final class HostServicesTable {
    let table: UnsafeMutablePointer<assay_host>
    private let context: ServiceContext

    /// `threads`: how many threads one call may keep busy (0: no limit).
    init(needs: assay_needs, context: ServiceContext, threads: Int) {
        self.context = context
        let truth = needs & assay_needs(ASSAY_NEEDS_TRUTH) != 0 && context.generator != nil
        let likelihood = needs & assay_needs(ASSAY_NEEDS_LOG_LIKELIHOOD) != 0 && context.generator != nil
        table = .allocate(capacity: 1)
        table.initialize(to: assay_host(
            struct_size: UInt32(MemoryLayout<assay_host>.size),
            abi_minor: UInt32(ASSAY_ABI_MINOR),
            host_data: Unmanaged.passUnretained(context).toOpaque(),
            log: logService,
            ground_truth: truth ? groundTruthService : nil,
            similarity: truth ? similarityService : nil,
            draw_clean: truth ? drawCleanService : nil,
            task_vector: truth ? taskVectorService : nil,
            log_likelihood: likelihood ? logLikelihoodService : nil,
            threads: UInt32(clamping: threads),
            reserved1: 0
        ))
    }

    deinit {
        table.deinitialize(count: 1)
        table.deallocate()
    }
}

private func context(_ host: UnsafePointer<assay_host>?) -> ServiceContext {
    Unmanaged<ServiceContext>.fromOpaque(host!.pointee.host_data).takeUnretainedValue()
}

/// Runs a service body, turning a thrown error into a status and message.
private func serve(_ error: UnsafeMutablePointer<assay_error>?, _ body: () throws -> Void) -> assay_status {
    do {
        try body()
        return assay_status(ASSAY_OK)
    } catch let failure {
        error?.write(String(describing: failure))
        return assay_status(ASSAY_ERROR_ARGUMENT)
    }
}

private let logService: @convention(c) (UnsafePointer<assay_host>?, assay_log_level, UnsafePointer<CChar>?) -> Void = { host, level, message in
    let logger = context(host).logger
    let text = Logger.Message(stringLiteral: string(message))
    switch Int(level) {
    case ASSAY_LOG_DEBUG: logger.debug(text)
    case ASSAY_LOG_INFO: logger.info(text)
    case ASSAY_LOG_WARNING: logger.warning(text)
    default: logger.error(text)
    }
}

private func chunkTruth(_ batch: UnsafePointer<assay_batch>?) throws -> ChunkTruth {
    guard let batch, let truth = truth(of: batch) else {
        throw AssayError("truth is only available for the batch of the current verify call, passed back unchanged")
    }
    return truth
}

private let groundTruthService: @convention(c) (UnsafePointer<assay_host>?, UnsafePointer<assay_batch>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<assay_error>?) -> assay_status = { _, batch, out, error in
    serve(error) {
        let truth = try chunkTruth(batch)
        guard let out else { throw AssayError("ground_truth: output is NULL") }
        out.update(from: truth.yTrue.baseAddress!, count: truth.yTrue.count)
    }
}

private let similarityService: @convention(c) (UnsafePointer<assay_host>?, UnsafePointer<assay_batch>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<assay_error>?) -> assay_status = { _, batch, out, error in
    serve(error) {
        let truth = try chunkTruth(batch)
        guard let out else { throw AssayError("similarity: output is NULL") }
        out.update(from: truth.similarity.baseAddress!, count: truth.similarity.count)
    }
}

private let drawCleanService: @convention(c) (UnsafePointer<assay_host>?, UnsafeMutablePointer<assay_random>?, UInt64, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<assay_error>?) -> assay_status = { host, rng, count, x, y, error in
    serve(error) {
        guard let generator = context(host).generator, let rng, let x, let y else {
            throw AssayError("draw_clean: NULL argument")
        }
        let rows = Int(count)
        try generator.draw(rng: rng, count: rows,
                           x: UnsafeMutableBufferPointer(start: x, count: rows * generator.xCols),
                           y: UnsafeMutableBufferPointer(start: y, count: rows * generator.yCols))
    }
}

private let taskVectorService: @convention(c) (UnsafePointer<assay_host>?, UnsafePointer<CChar>?, UnsafeMutablePointer<Double>?, UInt64, UnsafeMutablePointer<assay_error>?) -> assay_status = { host, name, out, count, error in
    serve(error) {
        guard let generator = context(host).generator, let out else { throw AssayError("task_vector: NULL argument") }
        try generator.taskVector(string(name), into: UnsafeMutableBufferPointer(start: out, count: Int(count)))
    }
}

private let logLikelihoodService: @convention(c) (UnsafePointer<assay_host>?, UnsafePointer<CChar>?, UnsafePointer<assay_batch>?, UnsafeMutablePointer<Double>?, UnsafeMutablePointer<assay_error>?) -> assay_status = { host, model, batch, out, error in
    serve(error) {
        guard let generator = context(host).generator, let batch, let out else {
            throw AssayError("log_likelihood: NULL argument")
        }
        // "generator" is the model that synthesized the pool being judged:
        // after the first round of iterated retraining, a retrained one.
        let name = string(model)
        let resolved = name == "generator" ? truth(of: batch)?.synthesizer ?? name : name
        try generator.logLikelihood(model: resolved, batch: batch,
                                    into: UnsafeMutableBufferPointer(start: out, count: Int(batch.pointee.rows)))
    }
}
