/// Σ a[j]·b[j] over two vectors of one length, summed in index order (the
/// same bits wherever it is called).
public func dot(_ a: [Double], _ b: [Double]) -> Double {
    precondition(a.count == b.count, "dot: vectors of \(a.count) and \(b.count) values")
    var sum = 0.0
    for j in a.indices { sum += a[j] * b[j] }
    return sum
}
