import PluginAPI

/// The host's random stream for one call.
public struct HostRandom {
    public let raw: UnsafeMutablePointer<assay_random>

    public init(_ raw: UnsafeMutablePointer<assay_random>) { self.raw = raw }

    public func fillUniform(_ out: UnsafeMutableBufferPointer<Double>) {
        guard let base = out.baseAddress, !out.isEmpty else { return }
        raw.pointee.uniform(raw, base, UInt64(out.count))
    }

    public func fillNormal(_ out: UnsafeMutableBufferPointer<Double>) {
        guard let base = out.baseAddress, !out.isEmpty else { return }
        raw.pointee.normal(raw, base, UInt64(out.count))
    }

    public func fillBits(_ out: UnsafeMutableBufferPointer<UInt64>) {
        guard let base = out.baseAddress, !out.isEmpty else { return }
        raw.pointee.bits(raw, base, UInt64(out.count))
    }

    public func uniform(count: Int) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { fillUniform($0) }
        return values
    }

    public func normal(count: Int) -> [Double] {
        var values = [Double](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { fillNormal($0) }
        return values
    }
}
