// Back-propagation through an MLP, after `forward` on the same batch.

import COpenBLAS

extension MLP {
    /// The gradient of a loss with respect to every parameter, written into
    /// `gradient` (same layout as `parameters`), given ∂loss/∂output of the
    /// last forward pass (rows × outputs) and that pass's inputs `x`.
    ///
    /// Per layer, from the last: dW = Aᵀ·Δ and db = Σ_rows Δ (Δ the error
    /// of the layer's pre-activations), then the previous layer's error is
    /// Δ·Wᵀ masked by its ReLU (the activation is > 0 exactly where the
    /// derivative is 1).
    public func backward(_ x: UnsafeBufferPointer<Double>, rows: Int, outputGradient: UnsafeBufferPointer<Double>,
                         workspace: MLPWorkspace, gradient: UnsafeMutableBufferPointer<Double>) {
        precondition(rows <= workspace.capacity && outputGradient.count >= rows * outputs)
        precondition(gradient.count == parameters.count, "backward: gradient has \(gradient.count) entries, expected \(parameters.count)")
        let last = workspace.deltas[layerCount - 1]
        for k in 0..<(rows * outputs) { last[k] = outputGradient[k] }
        parameters.withUnsafeBufferPointer { p in
            for layer in stride(from: layerCount - 1, through: 0, by: -1) {
                let (fanIn, fanOut) = (widths[layer], widths[layer + 1])
                let w = weightOffset(layer), b = w + fanIn * fanOut
                let delta = workspace.deltas[layer]
                let input = layer == 0 ? x.baseAddress! : UnsafePointer(workspace.activations[layer - 1].baseAddress!)
                cblas_dgemm(CblasRowMajor, CblasTrans, CblasNoTrans, LinearAlgebra.blas(fanIn),
                            LinearAlgebra.blas(fanOut), LinearAlgebra.blas(rows), 1, input, LinearAlgebra.blas(fanIn),
                            delta.baseAddress, LinearAlgebra.blas(fanOut), 0, gradient.baseAddress! + w,
                            LinearAlgebra.blas(fanOut))
                for j in 0..<fanOut { gradient[b + j] = 0 }
                for r in 0..<rows {
                    for j in 0..<fanOut { gradient[b + j] += delta[r * fanOut + j] }
                }
                guard layer > 0 else { break }
                let previous = workspace.deltas[layer - 1], activation = workspace.activations[layer - 1]
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, LinearAlgebra.blas(rows),
                            LinearAlgebra.blas(fanIn), LinearAlgebra.blas(fanOut), 1, delta.baseAddress,
                            LinearAlgebra.blas(fanOut), p.baseAddress! + w, LinearAlgebra.blas(fanOut), 0,
                            previous.baseAddress, LinearAlgebra.blas(fanIn))
                for k in 0..<(rows * fanIn) where activation[k] <= 0 { previous[k] = 0 }
            }
        }
    }
}
