import PluginAPI

/// The host's services to one instance, as Swift calls. Services the plugin
/// did not declare a need for throw `unsupported`.
public struct HostServices {
    public let raw: UnsafePointer<assay_host>

    public init(_ raw: UnsafePointer<assay_host>) { self.raw = raw }

    public enum Level: Int32 { case debug = 0, info = 1, warning = 2, error = 3 }

    /// How many threads one call may keep busy (`assay_host.threads`, ABI
    /// 1.1); nil when the host gave no limit or predates the field.
    public var threads: Int? {
        guard let offset = MemoryLayout<assay_host>.offset(of: \assay_host.threads),
              Int(raw.pointee.struct_size) >= offset + MemoryLayout<UInt32>.size,
              raw.pointee.threads > 0 else { return nil }
        return Int(raw.pointee.threads)
    }

    public func log(_ level: Level, _ message: String) {
        message.withCString { raw.pointee.log?(raw, assay_log_level(level.rawValue), $0) }
    }

    /// Similarity of each synthesized label of the batch to its truth, one
    /// per row. The host checked each is in [0, 1] where it got them from
    /// the generator, so a verifier uses them as they are.
    public func similarity(of batch: Batch, into s: UnsafeMutableBufferPointer<Double>) throws {
        guard let service = raw.pointee.similarity else { throw missing("similarity", "ASSAY_NEEDS_TRUTH") }
        try call { service(raw, batch.raw, s.baseAddress, $0) }
    }

    public func groundTruth(of batch: Batch, into y: UnsafeMutableBufferPointer<Double>) throws {
        guard let service = raw.pointee.ground_truth else { throw missing("ground_truth", "ASSAY_NEEDS_TRUTH") }
        try call { service(raw, batch.raw, y.baseAddress, $0) }
    }

    public func drawClean(rng: HostRandom, count: Int, x: UnsafeMutableBufferPointer<Double>, y: UnsafeMutableBufferPointer<Double>) throws {
        guard let service = raw.pointee.draw_clean else { throw missing("draw_clean", "ASSAY_NEEDS_TRUTH") }
        try call { service(raw, rng.raw, UInt64(count), x.baseAddress, y.baseAddress, $0) }
    }

    public func taskVector(_ name: String, count: Int) throws -> [Double] {
        guard let service = raw.pointee.task_vector else { throw missing("task_vector", "ASSAY_NEEDS_TRUTH") }
        var values = [Double](repeating: 0, count: count)
        try values.withUnsafeMutableBufferPointer { out in
            try call { error in name.withCString { service(raw, $0, out.baseAddress, UInt64(count), error) } }
        }
        return values
    }

    public func logLikelihood(model: String, of batch: Batch, into out: UnsafeMutableBufferPointer<Double>) throws {
        guard let service = raw.pointee.log_likelihood else {
            throw missing("log_likelihood", "ASSAY_NEEDS_LOG_LIKELIHOOD")
        }
        try call { error in model.withCString { service(raw, $0, batch.raw, out.baseAddress, error) } }
    }

    private func call(_ body: (UnsafeMutablePointer<assay_error>) -> assay_status) throws {
        var error = assay_error()
        let status = body(&error)
        guard status == ASSAY_OK else {
            throw PluginError(Int(status), "host: \(error.text)")
        }
    }

    private func missing(_ service: String, _ need: String) -> PluginError {
        PluginError.unsupported("host service \(service) is only given to plugins that declare \(need)")
    }
}
