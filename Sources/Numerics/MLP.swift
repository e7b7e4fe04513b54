// A fully connected network: ReLU hidden layers, a linear output layer.
//
// All parameters live in one flat array so that an optimiser (Adam) and a
// gradient are plain vectors of the same layout. Layer l maps a batch of
// rows A (rows × in) to A·W + 1·bᵀ (rows × out); W is stored row-major
// (in × out) and followed by b (out). Every product is a dgemm.

import COpenBLAS

public struct MLP: Sendable {
    /// [inputs, hidden…, outputs].
    public let widths: [Int]
    public var parameters: [Double]

    public var layerCount: Int { widths.count - 1 }
    public var inputs: Int { widths[0] }
    public var outputs: Int { widths[widths.count - 1] }

    /// Zero biases and He-normal weights (variance 2/fan-in, the scale that
    /// keeps ReLU activations from shrinking or growing with depth), drawn
    /// from `rng` layer by layer. The output layer is scaled by
    /// `outputScale` so a fresh network starts near a zero output.
    public init(widths: [Int], rng: inout RandomStream, outputScale: Double = 1) throws {
        try Self.check(widths)
        self.widths = widths
        parameters = [Double](repeating: 0, count: Self.parameterCount(widths))
        var offset = 0
        for layer in 0..<(widths.count - 1) {
            let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
            let scale = (2 / Double(fanIn)).squareRoot() * (layer == widths.count - 2 ? outputScale : 1)
            for k in 0..<(fanIn * fanOut) { parameters[offset + k] = scale * rng.normal() }
            offset += fanIn * fanOut + fanOut
        }
    }

    /// A network with the given parameters (in the layout described above).
    public init(widths: [Int], parameters: [Double]) throws {
        try Self.check(widths)
        guard parameters.count == Self.parameterCount(widths) else {
            throw NumericsError.invalidInput(
                "MLP: \(parameters.count) parameters for widths \(widths), expected \(Self.parameterCount(widths))")
        }
        self.widths = widths
        self.parameters = parameters
    }

    public static func parameterCount(_ widths: [Int]) -> Int {
        zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }

    /// Where layer `layer`'s weights start in `parameters`; its biases
    /// follow them.
    public func weightOffset(_ layer: Int) -> Int {
        zip(widths, widths.dropFirst()).prefix(layer).reduce(0) { $0 + $1.0 * $1.1 + $1.1 }
    }

    private static func check(_ widths: [Int]) throws {
        guard widths.count >= 2, widths.allSatisfy({ $0 >= 1 }) else {
            throw NumericsError.invalidInput("MLP: widths \(widths); expected at least an input and an output width, all ≥ 1")
        }
    }

    /// Outputs of the network for `rows` inputs (rows × inputs) into `out`
    /// (rows × outputs), in blocks of rows so the activations stay small.
    public func predict(_ x: UnsafeBufferPointer<Double>, rows: Int, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(x.count >= rows * inputs && out.count >= rows * outputs, "predict: buffers too small for \(rows) rows")
        let block = 1024
        let workspace = MLPWorkspace(network: self, rows: min(rows, block))
        var start = 0
        while start < rows {
            let count = min(block, rows - start)
            let input = UnsafeBufferPointer(rebasing: x[(start * inputs)..<((start + count) * inputs)])
            forward(input, rows: count, workspace: workspace)
            workspace.withOutput(rows: count) { result in
                for k in 0..<(count * outputs) { out[start * outputs + k] = result[k] }
            }
            start += count
        }
    }

    /// One forward pass over `rows` ≤ workspace capacity inputs, keeping
    /// every layer's activations in `workspace` for a backward pass.
    public func forward(_ x: UnsafeBufferPointer<Double>, rows: Int, workspace: MLPWorkspace) {
        precondition(rows <= workspace.capacity, "forward: \(rows) rows exceed the workspace's \(workspace.capacity)")
        parameters.withUnsafeBufferPointer { p in
            for layer in 0..<layerCount {
                let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
                let w = weightOffset(layer), b = w + fanIn * fanOut
                let input = layer == 0 ? x.baseAddress! : UnsafePointer(workspace.activations[layer - 1].baseAddress!)
                let z = workspace.activations[layer]
                // Bias rows first, then Z += A·W in one dgemm (beta = 1).
                for r in 0..<rows {
                    for j in 0..<fanOut { z[r * fanOut + j] = p[b + j] }
                }
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, LinearAlgebra.blas(rows),
                            LinearAlgebra.blas(fanOut), LinearAlgebra.blas(fanIn), 1, input,
                            LinearAlgebra.blas(fanIn), p.baseAddress! + w, LinearAlgebra.blas(fanOut), 1,
                            z.baseAddress, LinearAlgebra.blas(fanOut))
                if layer < layerCount - 1 {
                    for k in 0..<(rows * fanOut) where z[k] < 0 { z[k] = 0 }
                }
            }
        }
    }
}

/// Buffers for the activations and back-propagated errors of one batch
/// of up to `capacity` rows. One per thread: forward and backward write it.
public final class MLPWorkspace {
    public let capacity: Int
    /// Output of each layer (after ReLU for hidden layers), capacity × width.
    let activations: [UnsafeMutableBufferPointer<Double>]
    /// ∂loss/∂(pre-activation) of each layer, capacity × width.
    let deltas: [UnsafeMutableBufferPointer<Double>]

    public init(network: MLP, rows: Int) {
        capacity = max(rows, 1)
        let widths = network.widths.dropFirst()
        activations = widths.map { .allocate(capacity: max(rows, 1) * $0) }
        deltas = widths.map { .allocate(capacity: max(rows, 1) * $0) }
        for buffer in activations + deltas { buffer.initialize(repeating: 0) }
    }

    deinit {
        for buffer in activations + deltas { buffer.deallocate() }
    }

    /// The last forward pass's outputs, rows × outputs.
    public func withOutput<Result>(rows: Int, _ body: (UnsafeBufferPointer<Double>) throws -> Result) rethrows -> Result {
        let out = activations[activations.count - 1]
        let width = out.count / capacity
        return try body(UnsafeBufferPointer(rebasing: out[0..<(rows * width)]))
    }
}
