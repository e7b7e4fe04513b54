@testable import Numerics
import XCTest

final class RandomStreamTests: XCTestCase {
    private func prefix(_ stream: RandomStream, _ count: Int = 8) -> [UInt64] {
        var s = stream
        return (0..<count).map { _ in s.next() }
    }

    func testKnownAnswers() {
        // SplitMix64 seeded with 0 starts 0xe220a8397b1dcdaf (Vigna's reference
        // output); hashKeys of no keys is exactly one SplitMix64 step.
        XCTAssertEqual(hashKeys(0, []), 0xE220_A839_7B1D_CDAF)
        // FNV-1a 64 reference vectors: the offset basis, and "a".
        XCTAssertEqual(stableHash(""), 0xCBF2_9CE4_8422_2325)
        XCTAssertEqual(stableHash("a"), 0xAF63_DC4C_8601_EC8C)
        // Produced by an independent Python transcription of SplitMix64 and
        // xoshiro256++ (Blackman & Vigna's reference C), seed 42, keys [7, 3].
        XCTAssertEqual(prefix(RandomStream(seed: 42, keys: 7, 3), 4),
                       [0x3656_03D4_436A_AA9B, 0x4388_CBC4_8C02_F265, 0x96FB_7AD1_3546_3150, 0xCEE6_042F_825C_AEEF])
    }

    func testSameSeedAndKeysGiveSameSequence() {
        XCTAssertEqual(prefix(RandomStream(seed: 7, keys: 1, 2, 3), 1000),
                       prefix(RandomStream(seed: 7, keys: [1, 2, 3]), 1000))
        var a = RandomStream(seed: 99, keys: stableHash("plugin"), 5)
        var b = RandomStream(seed: 99, keys: stableHash("plugin"), 5)
        for _ in 0..<1000 {
            XCTAssertEqual(a.normal(), b.normal())
            XCTAssertEqual(a.uniform(), b.uniform())
        }
    }

    func testDifferentKeysGiveDifferentSequences() {
        let streams = [
            RandomStream(seed: 1, keys: []),
            RandomStream(seed: 1, keys: 0),
            RandomStream(seed: 1, keys: 1),
            RandomStream(seed: 1, keys: 2),
            RandomStream(seed: 2, keys: 1),
            RandomStream(seed: 1, keys: 1, 2),
            RandomStream(seed: 1, keys: 2, 1),
            RandomStream(seed: 1, keys: 1, 2, 0),
        ]
        let prefixes = streams.map { prefix($0) }
        for i in prefixes.indices {
            for j in prefixes.indices where j > i {
                XCTAssertNotEqual(prefixes[i], prefixes[j], "streams \(i) and \(j) coincide")
                // Not merely shifted: no word in common at all.
                XCTAssertTrue(Set(prefixes[i]).isDisjoint(with: prefixes[j]), "streams \(i) and \(j) overlap")
            }
        }
        XCTAssertNotEqual(stableHash("oracle"), stableHash("noisy"))
    }

    func testBulkFillsMatchScalarCalls() {
        let n = 10_007
        var bulk = RandomStream(seed: 5, keys: 11)
        var scalar = bulk
        var bits = [UInt64](repeating: 0, count: n)
        var uniforms = [Double](repeating: 0, count: n)
        bits.withUnsafeMutableBufferPointer { bulk.fillBits($0) }
        uniforms.withUnsafeMutableBufferPointer { bulk.fillUniform($0) }
        XCTAssertEqual(bits, (0..<n).map { _ in scalar.next() })
        XCTAssertEqual(uniforms, (0..<n).map { _ in scalar.uniform() })
        // Both left the stream at the same position.
        XCTAssertEqual(bulk.next(), scalar.next())
    }

    func testBulkNormalsComeFromEightScalarLanes() {
        // Replays the SIMD kernel with scalar streams: position 8m + j holds
        // the m-th draw of lane j, where lane j is the stream keyed j under a
        // seed taken from one draw of the filled stream. Draws the fast path
        // accepts must give exactly the scalar fast-path value.
        let n = 40_000 + 5
        var stream = RandomStream(seed: 5, keys: 11)
        var replay = stream
        var z = [Double](repeating: .nan, count: n)
        z.withUnsafeMutableBufferPointer { stream.fillNormal($0) }
        let seed = replay.next()
        XCTAssertEqual(stream.next(), replay.next(), "a fill takes exactly one draw of its stream")
        var lanes = (0 ..< 8).map { RandomStream(seed: seed, keys: [UInt64($0)]) }
        var accepted = 0
        for i in 0 ..< n {
            let u = lanes[i % 8].next()
            if let value = ZigguratTable.shared.fastNormal(u) {
                XCTAssertEqual(z[i].bitPattern, value.bitPattern, "position \(i)")
                accepted += 1
            } else {
                XCTAssertTrue(z[i].isFinite, "position \(i) (slow path)")
            }
        }
        // The fast path accepts a draw of layer i with probability
        // x_{i+1}/x_i: 99.57 % on average over the 1024 layers (mpmath,
        // 40 digits, from the same equal-area construction).
        let edge = ZigguratTable.shared.edge
        let layers = ZigguratTable.layerCount
        XCTAssertEqual(layers, 1024)
        let rate = (0 ..< layers).reduce(0.0) { $0 + edge[$1 + 1] / edge[$1] } / Double(layers)
        XCTAssertEqual(rate, 0.9957234333, accuracy: 1e-9)
        XCTAssertEqual(Double(accepted) / Double(n), rate, accuracy: 5 * (rate * (1 - rate) / Double(n)).squareRoot())
    }

    func testWedgePretestAgreesWithExp() {
        // Points across every wedge (z between the layer's edges, y across
        // its height), and points a few ulps either side of the curve: the
        // pretest may decline to decide, but never decides differently.
        let table = ZigguratTable.shared
        var g = RandomStream(seed: 31, keys: 1)
        var decided = 0, total = 0
        for i in 1 ..< ZigguratTable.layerCount {
            let (inner, outer) = (table.edge[i + 1], table.edge[i])
            for _ in 0 ..< 2000 {
                let z = inner + g.uniform() * (outer - inner)
                let f = exp(-0.5 * z * z)
                let y = table.density[i] + g.uniform() * (table.density[i + 1] - table.density[i])
                for point in [y, f.nextUp, f.nextDown, f * (1 + 1e-13), f * (1 - 1e-13)] {
                    if let inside = table.wedgeTest(layer: i, z: z, y: point) {
                        XCTAssertEqual(inside, point < f, "layer \(i), z \(z), y \(point)")
                        if point == y { decided += 1 }
                    }
                }
                total += 1
            }
        }
        // It decides most draws (that is its point): about nine in ten.
        XCTAssertGreaterThan(Double(decided) / Double(total), 0.95, "decided \(Double(decided) / Double(total))")
    }

    func testEveryKernelGivesTheSameNormals() {
        // Sizes around a block (8), a kernel group (64) and the rejects
        // buffer's refill point (~100,000 values).
        let sizes = [1, 7, 8, 9, 63, 64, 65, 1000, 250_003]
        let kernels = SIMDVariant.allCases.filter(\.isAvailable)
        XCTAssertTrue(kernels.contains(.baseline))
        XCTAssertTrue(kernels.contains(SIMDVariant.best))
        for size in sizes {
            var reference = [Double](repeating: 0, count: size)
            var start = RandomStream(seed: 8, keys: UInt64(size))
            reference.withUnsafeMutableBufferPointer { start.fillNormal($0, variant: .baseline) }
            for kernel in kernels {
                var stream = RandomStream(seed: 8, keys: UInt64(size))
                var z = [Double](repeating: 0, count: size)
                z.withUnsafeMutableBufferPointer { stream.fillNormal($0, variant: kernel) }
                XCTAssertEqual(z.map(\.bitPattern), reference.map(\.bitPattern), "\(kernel), \(size) values")
            }
        }
    }

    func testUniformIsStrictlyInsideUnitInterval() {
        let n = 1_000_000
        var u = [Double](repeating: 0, count: n)
        var s = RandomStream(seed: 3, keys: 4)
        u.withUnsafeMutableBufferPointer { s.fillUniform($0) }
        XCTAssertTrue(u.allSatisfy { $0 > 0 && $0 < 1 })
        let mean = u.reduce(0, +) / Double(n)
        XCTAssertEqual(mean, 0.5, accuracy: 5 * (1.0 / 12 / Double(n)).squareRoot())
    }

    func testNormalMomentsAndKolmogorovSmirnov() {
        let n = 1_000_000
        var z = [Double](repeating: 0, count: n)
        var s = RandomStream(seed: 2024, keys: 1)
        z.withUnsafeMutableBufferPointer { s.fillNormal($0) }
        XCTAssertTrue(z.allSatisfy { $0.isFinite })

        let mean = z.reduce(0, +) / Double(n)
        let variance = z.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        // Five standard errors: sd(mean) = 1/√n, sd(variance) ≈ √(2/n).
        XCTAssertEqual(mean, 0, accuracy: 5 / Double(n).squareRoot())
        XCTAssertEqual(variance, 1, accuracy: 5 * (2 / Double(n)).squareRoot())

        z.sort()
        var d = 0.0
        for (i, v) in z.enumerated() {
            let f = normalCDF(v)
            d = max(d, Double(i + 1) / Double(n) - f, f - Double(i) / Double(n))
        }
        // 1.63/√n is the 1 % critical value of the KS statistic.
        XCTAssertLessThan(d, 1.63 / Double(n).squareRoot() * 1.5, "KS statistic \(d)")
    }

    func testNormalTailsAndSymmetry() {
        var s = RandomStream(seed: 17, keys: 2)
        checkTailsAndSymmetry((0 ..< 4_000_000).map { _ in s.normal() })
    }

    func testBulkNormalTailsAndSymmetry() {
        var s = RandomStream(seed: 17, keys: 3)
        var z = [Double](repeating: 0, count: 4_000_000)
        z.withUnsafeMutableBufferPointer { s.fillNormal($0) }
        checkTailsAndSymmetry(z)
    }

    /// The tail beyond the ziggurat's base edge r has its own code path;
    /// counts it, and checks its shape against Φ conditioned on |z| > r.
    private func checkTailsAndSymmetry(_ values: [Double], file: StaticString = #filePath, line: UInt = #line) {
        // The base edge of 1024 equal-area layers, solved by bisection with
        // mpmath at 40 digits.
        let r = 4.0388498461095045
        XCTAssertEqual(ZigguratTable.shared.r, r, accuracy: 1e-13, file: file, line: line)
        let n = values.count
        var tail: [Double] = []
        var negative = 0, beyondThree = 0
        for z in values {
            if z < 0 { negative += 1 }
            if abs(z) > 3 { beyondThree += 1 }
            if abs(z) > r { tail.append(abs(z)) }
        }
        func expectCount(_ observed: Int, probability p: Double, _ label: String) {
            let mean = Double(n) * p, sd = (Double(n) * p * (1 - p)).squareRoot()
            XCTAssertEqual(Double(observed), mean, accuracy: 5 * sd, label, file: file, line: line)
        }
        expectCount(negative, probability: 0.5, "negative")
        expectCount(beyondThree, probability: 2 * normalCDF(-3), "|z| > 3")
        expectCount(tail.count, probability: 2 * normalCDF(-r), "|z| > r")

        tail.sort()
        let tailMass = normalCDF(-r)
        var d = 0.0
        for (i, v) in tail.enumerated() {
            let f = (tailMass - normalCDF(-v)) / tailMass
            d = max(d, Double(i + 1) / Double(tail.count) - f, f - Double(i) / Double(tail.count))
        }
        XCTAssertLessThan(d, 1.63 / Double(tail.count).squareRoot() * 1.5, "tail KS statistic \(d)",
                          file: file, line: line)
    }
}
